package projects

import (
	"testing"

	"github.com/region-jh/gns/domain"
)

// FuzzProjectInput feeds the project form's parser arbitrary text: it never
// panics, and what it accepts is a valid project whose every object has a
// positive dimension and a number without spaces.
func FuzzProjectInput(f *testing.F) {
	f.Add("Digital transformation", "population", "2020-12-31", "50", "6670, 1/6671")
	f.Add("X", "equal", "", "", "x/6670")
	f.Add("Y", "percent", "2020-02-30", "1,5", "1/ ;;,")
	f.Fuzz(func(t *testing.T, name, method, date, host, objects string) {
		in := projectInput{Name: name, Method: method, PopulationDate: date, HostShare: host, Objects: objects}
		p, err := in.project(func(string) (int64, error) { return 0, nil }, domain.Committee{ID: 1})
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted %+v, which Validate refuses: %v", p, err)
		}
		for _, o := range p.Objects {
			if o.Dimension <= 0 || o.Object == "" {
				t.Fatalf("accepted object %+v", o)
			}
		}
	})
}
