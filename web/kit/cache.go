package kit

import (
	"sync"
)

// ImmutableCache keeps what is worked out from things that can never
// change, such as the rendered view of a saved allocation or its statistics
// (allocations are immutable), or a drawing kept by the figures it shows, so
// busy pages do not work it out again for every request. It holds at most max entries and starts over when full,
// which is simple and bounds its memory.
type ImmutableCache[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

// NewImmutableCache returns a cache that holds at most max entries.
func NewImmutableCache[K comparable, V any](max int) *ImmutableCache[K, V] {
	return &ImmutableCache[K, V]{m: make(map[K]V), max: max}
}

// get returns the value stored under key.
func (c *ImmutableCache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

// put stores a value under key.
func (c *ImmutableCache[K, V]) Put(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = v
}
