package domain

// Version is the version of GNS: "dev" unless the gns command sets it from
// its build (-ldflags "-X main.version=..."). Files that name the program that
// wrote them (the SIE export's #PROGRAM) write it.
var Version = "dev"
