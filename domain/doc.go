// Package domain is the language of GNS: the committees (gemensamma nämnder), their
// parties, and the rules that hold for them regardless of storage or transport.
//
// It imports no other package of this module. Persistence (store), the web
// interface (web) and the documents (reports) all speak in these types.
package domain
