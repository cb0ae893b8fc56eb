package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Voters are demo users for three of the seeds' members, each linked to
// that member, so that a live vote can be tried from three browsers: they
// vote as the member at a meeting where the member serves. Like Users they
// share Password, and the administrator ends demo mode by disabling them
// with the others.
var Voters = []User{
	{Email: "robert.hamberg@demo.gns.example", Name: "Robert Hamberg", Role: domain.RoleMember},
	{Email: "susanne.hansson@demo.gns.example", Name: "Susanne Hansson", Role: domain.RoleMember},
	{Email: "bjorn.hammarberg@demo.gns.example", Name: "Björn Hammarberg", Role: domain.RoleMember},
}

// loadVoters creates the Voters and links each to the member of the same
// name, once: while demo users exist and none of the voters does, and only
// for a member no user is linked to yet.
func loadVoters(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	demoActive, err := c.DemoUsersActive(ctx)
	if err != nil || !demoActive {
		return loaded, err
	}
	if _, _, err := c.UserForLogin(ctx, Voters[0].Email); err == nil {
		return loaded, nil
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return loaded, nil
	}
	if err != nil {
		return loaded, err
	}
	members, err := c.Members(ctx, cm.ID)
	if err != nil {
		return loaded, err
	}
	hash := auth.HashPassword(Password)
	for _, v := range Voters {
		u, err := c.CreateUser(ctx, domain.User{Email: v.Email, Name: v.Name, Demo: true,
			Roles: []domain.RoleGrant{{Role: v.Role, CommitteeID: cm.ID}}}, hash)
		if err != nil {
			return loaded, fmt.Errorf("demo voter %s: %w", v.Email, err)
		}
		for _, m := range members {
			if m.Name == v.Name && m.UserID == 0 {
				m.UserID = u.ID
				if _, err := c.UpdateMember(ctx, m); err != nil {
					return loaded, fmt.Errorf("link %s to the member: %w", v.Email, err)
				}
			}
		}
	}
	return true, nil
}
