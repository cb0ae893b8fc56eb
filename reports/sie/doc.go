// Package sie reads and writes SIE 4 files, the Swedish standard format for
// moving accounting data between programs ("SIE filformat, utgåva 4B",
// SIE-gruppen 2008-09-30; utgåva 4C of 2025 changes only the documentation).
//
// Parse reads a file exported from the host's ledger (types 1 to 4E: #RAR,
// #KONTO, #DIM/#OBJEKT, #IB/#UB/#RES, #PSALDO/#PBUDGET, #VER/#TRANS) into a
// File, and PeriodTotals sums it to the monthly outcome per account and cost
// object. Write writes a File back, which is how GNS exports an invoice run to
// the host's ledger as an import file of type 4I (one #VER per document).
//
// # Syntax (spec 5.3–5.10)
//
// A record is one line that begins with a label such as #KONTO; its fields are
// separated by one or more spaces or tabs. Any field may be quoted with ", and
// must be when it holds a space; a " inside a field is written \". Object lists
// are written in braces, pairs of dimension and object: {1 "6663" 6 "P12"}. The
// #TRANS lines of a #VER are sub-records between a { line and a } line. Amounts
// have a decimal point, at most two decimals and a leading minus when negative;
// dates are YYYYMMDD and periods YYYYMM. Blank lines are ignored. Unknown labels
// and unknown trailing fields are ignored as the spec requires (7.1, 7.3); the
// records Parse does not read are counted per label in File.Skipped. #RTRANS and
// #BTRANS (rows added or struck in a verification) are ignored as spec 11 allows
// for a reader that does not handle them: the #TRANS that must follow every
// #RTRANS carries the row, and a #BTRANS row is no longer part of the
// verification.
//
// Parse is strict where a lenient reader would import wrong figures: a malformed
// field, a missing mandatory field, a duplicate record, an unbalanced
// verification, a #VER block that is not closed, and an opened #KSUMMA without
// its closing record all fail with a *ParseError naming the line, and nothing
// of the file is returned. A last line without its line feed is accepted
// (spec 5.5 ends every record with one, but Fortnox, BL Administration, PayEx
// and others write files without it); a file cut off in the middle is told by
// a #VER without its closing brace, a #KSUMMA without its closing record, or
// a last record that cannot be read (a quoted field or an object list not
// closed, a mandatory field missing), which is refused as probably cut off.
//
// ParseWith takes Options naming the records the caller can do without:
// real files have faults in records nobody reads (#KTYP 1930 O, a #PBUDGET
// without its {} object list), and a fault in such a record becomes a Warning
// with its line, the record left out, instead of refusing the whole file.
//
// # Character sets
//
// The spec allows only code page 437 (#FORMAT PC8), but files written in UTF-8
// or Windows-1252 circulate, often still declaring PC8. Parse therefore decides
// from the bytes and not from #FORMAT:
//
//   - a file that starts with the UTF-8 byte order mark is UTF-8 (and must be
//     valid UTF-8);
//   - a file with bytes above 127 that is valid UTF-8 is UTF-8: Swedish letters
//     in code page 437 or Windows-1252 are single bytes that are never valid
//     UTF-8 next to ASCII;
//   - a file with one of the bytes Windows-1252 leaves undefined (0x81, 0x8D,
//     0x8F, 0x90, 0x9D: ü, ì, Å, É and ¥ in code page 437) is code page 437;
//   - otherwise the bytes above 127 are counted: those that are letters in code
//     page 437 (0x80–0x9A and 0xA0–0xA5: ä is 0x84, å 0x86, ö 0x94, Ä 0x8E,
//     Å 0x8F, Ö 0x99, é 0x82) against those that are letters in Windows-1252
//     (0xC0–0xFF except × and ÷: ä is 0xE4, å 0xE5, ö 0xF6). Code page 437 wins
//     ties and files without such bytes; Windows-1252 wins only when it has more
//     letters. Bytes 0xC0–0xFF are box-drawing and Greek signs in code page 437
//     that never occur in accounting text, so this tells the two apart.
//
// In a code page 437 file the bytes 0x14 and 0x15 are ¶ and §, the graphic
// signs IBM gave those control codes; Windows programs write § there in PC8
// files. Elsewhere they are control characters, which spec 5.7 forbids.
//
// File.Encoding reports the choice. Write always writes code page 437 with
// #FORMAT PC8 and CR LF line ends (spec 5.5 allows the CR; programs on Windows
// expect it), and a #PROSA with an Å, so that its files are code page 437 by
// the rules above whatever their texts hold; § and ¶ as 0x15 and 0x14. A
// character that code page 437 lacks is written as its nearest
// ASCII form for dashes, quotes and the ellipsis, otherwise as "?"; control
// characters (spec 5.7 forbids them in text) become spaces; and a text that
// ends with a backslash gets a "/" instead, because the spec has no escape for
// a backslash before the closing quote.
//
// # Checksum
//
// #KSUMMA (spec 10) is optional. When a file opens with #KSUMMA, Parse computes
// the CRC-32 the spec prescribes (polynomial EDB88320, preset FFFFFFFF,
// inverted at the end: the IEEE CRC-32) over the labels and field contents of
// the records up to the closing #KSUMMA, leaving out the spaces between fields,
// the quotes around fields, the braces and the backslash of \", over the bytes
// as they stand in the file. A file that opens #KSUMMA but has no closing one
// is refused as cut off (spec 10.6), and so is one whose sum does not match.
// The value is accepted written as an unsigned or a signed 32-bit number, and a
// sum computed without the # of each label is accepted too, as some writers do.
// Write does not write #KSUMMA.
//
// # Signs and totals
//
// SIE writes debit positive and credit negative (#IB, #UB, #RES, #PSALDO,
// #PBUDGET and #TRANS alike): revenue accounts carry negative balances and cost
// accounts positive ones. The committee's reports show revenue positive and
// costs negative, so a report amount is the negated SIE amount for every result
// account: −(−2 150 870) = 2 150 870 for sales, −615 154 for staff costs. This
// package never flips signs; the consumer does, once, when it maps accounts to
// report rows.
//
// #RAR numbers the fiscal years: 0 is the current year, −1 the year before, and
// so on; the same index opens every #IB, #UB, #RES, #PSALDO and #PBUDGET. #PSALDO
// and #PBUDGET hold the change of one calendar month (spec 11: "periodens
// förändring"), so the accumulated outcome for January–August is the sum of the
// months 01–08, and this year and last year are told apart by the calendar
// month itself (202008 against 201908), which is why PeriodTotals keys on the
// month and not on the year index.
package sie
