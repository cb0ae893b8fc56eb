// Package openapi holds the OpenAPI 3.1 document of GNS's JSON API, embedded in the
// binary and served at /api/v1/openapi.json. A test in web keeps it in step
// with the routes the server registers.
package openapi

import _ "embed"

// Document is the OpenAPI 3.1 document, as JSON.
//
//go:embed openapi.json
var Document []byte
