package store_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestCommitteeDocuments(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		add := func(d domain.CommitteeDocument, content []byte) (domain.CommitteeDocument, error) {
			d.CommitteeID = f.cm.ID
			var out domain.CommitteeDocument
			err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.AddCommitteeDocument(registryCtx, d, content)
				return err
			})
			return out, err
		}
		doc := func(kind domain.GoverningDocKind, title string) domain.CommitteeDocument {
			return domain.CommitteeDocument{Kind: kind, Title: title, DecisionReference: "Regionfullmäktige 2018-04-24 § 85",
				DecidedOn: domain.MustDate("2018-04-24"), ValidFrom: domain.MustDate("2018-07-01"), FileName: "reglemente.pdf", ContentType: "application/pdf"}
		}
		pdf := []byte("%PDF-1.4 reglemente v1")
		v1, err := add(doc(domain.GoverningReglemente, "Reglemente"), pdf)
		if err != nil || v1.Version != 1 || v1.Size != int64(len(pdf)) || len(v1.SHA256) != 64 || v1.UploadedBy != "test" {
			t.Fatalf("first reglemente = %+v, %v", v1, err)
		}
		v2, err := add(doc(domain.GoverningReglemente, "Reglemente, reviderat"), []byte("%PDF-1.4 reglemente v2"))
		if err != nil || v2.Version != 2 {
			t.Fatalf("second reglemente = %+v, %v", v2, err)
		}
		agreement, err := add(doc(domain.GoverningAgreement, "Samarbetsöverenskommelse"), []byte("%PDF-1.4 avtal"))
		if err != nil || agreement.Version != 1 {
			t.Fatalf("agreement = %+v, %v", agreement, err)
		}

		rows := count(t, db, "committee_documents")
		for name, d := range map[string]domain.CommitteeDocument{
			"no decision reference": func() domain.CommitteeDocument {
				d := doc(domain.GoverningReglemente, "X")
				d.DecisionReference = ""
				return d
			}(),
			"title of 10 000 characters": doc(domain.GoverningReglemente, strings.Repeat("t", 10_000)),
			"unknown kind":               doc("policy", "X"),
		} {
			if _, err := add(d, pdf); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
		if _, err := add(doc(domain.GoverningReglemente, "Tom"), nil); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("empty file: err = %v, want invalid", err)
		}
		if count(t, db, "committee_documents") != rows {
			t.Error("refused documents left rows behind")
		}

		list, err := c.CommitteeDocuments(registryCtx, f.cm.ID)
		if err != nil || len(list) != 3 || list[0].Version != 2 || list[1].Version != 1 || list[2].Kind != domain.GoverningAgreement {
			t.Errorf("documents = %+v, %v", list, err)
		}
		got, content, err := c.CommitteeDocumentContent(registryCtx, f.cm.ID, v1.ID)
		if err != nil || !bytes.Equal(content, pdf) || got.SHA256 != v1.SHA256 || got.DecisionReference != v1.DecisionReference {
			t.Errorf("content of v1 = %+v, %q, %v", got, content, err)
		}
		if _, _, err := c.CommitteeDocumentContent(registryCtx, f.cm.ID+1, v1.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a document read through another committee: %v, want not found", err)
		}
		for _, stmt := range []string{"UPDATE committee_documents SET title = 'x'", "DELETE FROM committee_documents"} {
			if _, err := db.SQL().ExecContext(registryCtx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}
