package store

import (
	"database/sql"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

// hundred converts kronor to öre.
var hundred = decimal.NewFromInt(100)

// toOre converts an amount in kronor to integer öre for the database. An
// amount with a fraction of an öre, or too large for BIGINT, is refused: money
// is stored exactly or not at all.
func toOre(kronor decimal.Decimal) (int64, error) {
	ore := kronor.Mul(hundred)
	if !ore.IsInteger() {
		return 0, domain.Errorf(domain.EINVALID, "Beloppet %s har bråkdelar av ett öre.", kronor.String())
	}
	if !ore.BigInt().IsInt64() {
		return 0, domain.Errorf(domain.EINVALID, "Beloppet %s är för stort.", kronor.String())
	}
	return ore.IntPart(), nil
}

// fromOre converts integer öre from the database to kronor.
func fromOre(ore int64) decimal.Decimal { return decimal.New(ore, -2) }

// nullOre converts an optional amount to optional öre.
func nullOre(d decimal.NullDecimal) (sql.NullInt64, error) {
	if !d.Valid {
		return sql.NullInt64{}, nil
	}
	ore, err := toOre(d.Decimal)
	return sql.NullInt64{Int64: ore, Valid: true}, err
}

// fromNullOre converts optional öre to an optional amount.
func fromNullOre(ore sql.NullInt64) decimal.NullDecimal {
	if !ore.Valid {
		return decimal.NullDecimal{}
	}
	return decimal.NullDecimal{Decimal: fromOre(ore.Int64), Valid: true}
}
