package web

import (
	"html/template"
	"sync"
)

// fragmentCache keeps rendered HTML that can never change, such as the view
// of a saved allocation (allocations are immutable), so busy pages do not
// render it again for every request. It holds at most max entries and starts
// over when full, which is simple and bounds its memory.
type fragmentCache struct {
	mu  sync.Mutex
	m   map[string]template.HTML
	max int
}

func newFragmentCache(max int) *fragmentCache {
	return &fragmentCache{m: make(map[string]template.HTML), max: max}
}

// get returns the fragment stored under key.
func (c *fragmentCache) get(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[key]
	return h, ok
}

// put stores a fragment under key.
func (c *fragmentCache) put(key string, h template.HTML) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = h
}
