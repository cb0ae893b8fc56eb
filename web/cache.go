package web

import (
	"html/template"
	"sync"
	"time"
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

// demoBannerTTL is how long the answer to "can demo users log in?" is
// reused. Every page asks, for the demo banner; a change made in this process
// (an admin disabling a user) is seen at once, one made elsewhere (the gns
// user command, another instance) within this time.
const demoBannerTTL = 10 * time.Second

// demoBanner remembers whether demo users can log in, so that rendering a
// page does not count users every time.
type demoBanner struct {
	mu     sync.Mutex
	active bool
	until  time.Time
}

// get returns whether demo users can log in, asking ask when the remembered
// answer is older than demoBannerTTL.
func (d *demoBanner) get(ask func() (bool, error)) (bool, error) {
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

// forget drops the remembered answer, after a change to the users.
func (d *demoBanner) forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.until = time.Time{}
}
