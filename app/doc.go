// Package app holds GNS's use cases: what the web handlers and the gns
// commands both do, written once, between the HTTP or command-line edge and
// the packages below it (store, reports, allocation).
//
// A use case takes what it needs as parameters: the committee, period or
// year it is about, and a *store.Conn when it runs within a transaction its
// caller owns, so the same code reads on a plain connection or inside
// db.InTx (finalising a report builds its document in the transaction that
// freezes it). A use case that must commit on its own takes a *store.DB and
// opens the transaction itself. It never sees a gin.Context or a flag set;
// the caller decides how an error reaches the user.
//
// The computing a document needs (the equal split of a year's base funding
// when none is saved) is done here, so that package reports only lays out
// plain values.
package app
