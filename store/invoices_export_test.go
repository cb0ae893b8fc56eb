package store

import (
	"testing"

	"github.com/region-jh/gns/store/internal/money"
)

// SetAfterDocument makes f run after each document of an invoice run is
// stored, to inject a fault between two documents, until the test ends.
func SetAfterDocument(t testing.TB, f func(stored int) error) {
	money.SetAfterDocument(f)
	t.Cleanup(func() { money.SetAfterDocument(nil) })
}
