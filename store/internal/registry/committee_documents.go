package registry

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type committeeDocumentRow struct {
	ID                int64        `db:"id"`
	CommitteeID       int64        `db:"committee_id"`
	Kind              string       `db:"kind"`
	Version           int          `db:"version"`
	Title             string       `db:"title"`
	DecisionReference string       `db:"decision_reference"`
	DecidedOn         sqlconn.Date `db:"decided_on"`
	ValidFrom         sqlconn.Date `db:"valid_from"`
	FileName          string       `db:"file_name"`
	ContentType       string       `db:"content_type"`
	Size              int64        `db:"size"`
	SHA256            string       `db:"sha256"`
	UploadedAt        time.Time    `db:"uploaded_at"`
	UploadedBy        string       `db:"uploaded_by_label"`
}

const committeeDocumentColumns = `id, committee_id, kind, version, title, decision_reference, decided_on, valid_from,
	file_name, content_type, size, sha256, uploaded_at, uploaded_by_label`

func (r committeeDocumentRow) domain() domain.CommitteeDocument {
	return domain.CommitteeDocument{
		ID: r.ID, CommitteeID: r.CommitteeID, Kind: domain.GoverningDocKind(r.Kind), Version: r.Version, Title: r.Title,
		DecisionReference: r.DecisionReference, DecidedOn: domain.Date(r.DecidedOn), ValidFrom: domain.Date(r.ValidFrom),
		FileName: r.FileName, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256,
		UploadedAt: r.UploadedAt.UTC(), UploadedBy: r.UploadedBy,
	}
}

// AddCommitteeDocument stores a new version of one of the committee's
// governing documents, numbered after the versions of that kind before it,
// with the file's checksum. Earlier versions stay as they are. The file's
// name and content type are the caller's to check (domain.CheckDocument).
func (c Registry) AddCommitteeDocument(ctx context.Context, d domain.CommitteeDocument, content []byte) (domain.CommitteeDocument, error) {
	sum := sha256.Sum256(content)
	d.SHA256, d.Size = hex.EncodeToString(sum[:]), int64(len(content))
	if err := d.Normalize(); err != nil {
		return domain.CommitteeDocument{}, err
	}
	if _, err := c.CommitteeByID(ctx, d.CommitteeID); err != nil {
		return domain.CommitteeDocument{}, err
	}
	if err := c.db.Get(ctx, &d.Version, `SELECT COALESCE(MAX(version), 0) + 1 FROM committee_documents WHERE committee_id = ? AND kind = ?`,
		d.CommitteeID, string(d.Kind)); err != nil {
		return domain.CommitteeDocument{}, fmt.Errorf("next document version: %w", err)
	}
	a := domain.ActorFrom(ctx)
	d.UploadedAt, d.UploadedBy = c.db.Now(), a.Label
	id, err := c.db.Insert(ctx, `INSERT INTO committee_documents (committee_id, kind, version, title, decision_reference, decided_on, valid_from,
		file_name, content_type, size, sha256, content, uploaded_by, uploaded_by_label, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.CommitteeID, string(d.Kind), d.Version, d.Title, d.DecisionReference, sqlconn.Date(d.DecidedOn), sqlconn.Date(d.ValidFrom),
		d.FileName, d.ContentType, d.Size, d.SHA256, content, sqlconn.NullID(a.UserID), a.Label, d.UploadedAt)
	if sqlconn.IsUniqueViolation(err) {
		return domain.CommitteeDocument{}, domain.Errorf(domain.ECONFLICT, "En annan version av dokumentet sparades samtidigt. Ladda om sidan och försök igen.")
	}
	if err != nil {
		return domain.CommitteeDocument{}, fmt.Errorf("add committee document: %w", err)
	}
	d.ID = id
	if err := c.db.Audit(ctx, "create", "committee_document", id, nil, d); err != nil {
		return domain.CommitteeDocument{}, err
	}
	return d, nil
}

// CommitteeDocuments lists the committee's governing documents without their
// content, by kind (reglemente first) and the latest version first.
func (c Registry) CommitteeDocuments(ctx context.Context, committeeID int64) ([]domain.CommitteeDocument, error) {
	var rows []committeeDocumentRow
	if err := c.db.Select(ctx, &rows, "SELECT "+committeeDocumentColumns+` FROM committee_documents WHERE committee_id = ?
		ORDER BY kind, version DESC`, committeeID); err != nil {
		return nil, fmt.Errorf("list committee documents: %w", err)
	}
	return sqlconn.MapRows(rows, committeeDocumentRow.domain), nil
}

// CommitteeDocumentContent returns one of the committee's documents with its
// file, or ENOTFOUND.
func (c Registry) CommitteeDocumentContent(ctx context.Context, committeeID, id int64) (domain.CommitteeDocument, []byte, error) {
	var r struct {
		committeeDocumentRow
		Content []byte `db:"content"`
	}
	err := c.db.Get(ctx, &r, "SELECT "+committeeDocumentColumns+", content FROM committee_documents WHERE id = ? AND committee_id = ?", id, committeeID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.CommitteeDocument{}, nil, domain.Errorf(domain.ENOTFOUND, "Dokumentet finns inte.")
	}
	if err != nil {
		return domain.CommitteeDocument{}, nil, fmt.Errorf("read committee document %d: %w", id, err)
	}
	return r.committeeDocumentRow.domain(), r.Content, nil
}
