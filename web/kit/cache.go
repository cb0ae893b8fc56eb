package kit

import (
	"sync"
	"time"
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

// demoBannerTTL is how long the answer to "can demo users log in?" is
// reused. Every page asks, for the demo banner; a change made in this process
// (an admin disabling a user) is seen at once, one made elsewhere (the gns
// user command, another instance) within this time.
const demoBannerTTL = 10 * time.Second

// DemoBanner remembers whether demo users can log in, so that rendering a
// page does not count users every time.
type DemoBanner struct {
	mu     sync.Mutex
	active bool
	until  time.Time
}

// get returns whether demo users can log in, asking ask when the remembered
// answer is older than demoBannerTTL.
func (d *DemoBanner) get(ask func() (bool, error)) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if time.Now().Before(d.until) {
		return d.active, nil
	}
	active, err := ask()
	if err != nil {
		return false, err
	}
	d.active, d.until = active, time.Now().Add(demoBannerTTL)
	return active, nil
}

// Forget drops the remembered answer, after a change to the users.
func (d *DemoBanner) Forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.until = time.Time{}
}
