package sqlconn

import (
	"database/sql"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

// hundred converts kronor to öre.
var hundred = decimal.NewFromInt(100)

// ToOre converts an amount in kronor to integer öre for the database. An
// amount with a fraction of an öre, or too large for BIGINT, is refused: money
// is stored exactly or not at all.
func ToOre(kronor decimal.Decimal) (int64, error) {
	ore := kronor.Mul(hundred)
	if !ore.IsInteger() {
		return 0, domain.Errorf(domain.EINVALID, "Beloppet %s har bråkdelar av ett öre.", kronor.String())
	}
	if !ore.BigInt().IsInt64() {
		return 0, domain.Errorf(domain.EINVALID, "Beloppet %s är för stort.", kronor.String())
	}
	return ore.IntPart(), nil
}

// FromOre converts integer öre from the database to kronor.
func FromOre(ore int64) decimal.Decimal { return decimal.New(ore, -2) }

// NullOre converts an optional amount to optional öre.
func NullOre(d decimal.NullDecimal) (sql.NullInt64, error) {
	if !d.Valid {
		return sql.NullInt64{}, nil
	}
	ore, err := ToOre(d.Decimal)
	return sql.NullInt64{Int64: ore, Valid: true}, err
}

// FromNullOre converts optional öre to an optional amount.
func FromNullOre(ore sql.NullInt64) decimal.NullDecimal {
	if !ore.Valid {
		return decimal.NullDecimal{}
	}
	return decimal.NullDecimal{Decimal: FromOre(ore.Int64), Valid: true}
}
