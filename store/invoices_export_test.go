package store

import "testing"

// SetAfterDocument makes f run after each document of an invoice run is
// stored, to inject a fault between two documents, until the test ends.
func SetAfterDocument(t testing.TB, f func(stored int) error) {
	afterDocument = f
	t.Cleanup(func() { afterDocument = nil })
}
