package wire

// The officer directory HQ sends down to a booth: the officers who may sign in
// at the booth's post, with their argon2id password hashes (made at HQ, checked
// offline at the booth; lockout stays the booth's own). It travels as the
// payload of a signed Envelope of KindDirectory on the channel lists and rules
// use. A payload is a contract like a record: a change to its fields is a new
// DirectoryFormat, and ParseDirectory keeps reading the older ones.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chekara/chekara/app"
)

// DirectoryFormat is the format MarshalDirectory writes.
const DirectoryFormat = 1

// MaxDirectory bounds a directory envelope: a post's officers, a few hundred
// bytes each, fit many times over.
const MaxDirectory = 8 << 20

// Directory is the list of officers of one post at one directory version.
// Version is HQ's directory version (it rises with every administrative
// change at HQ, whichever post it touched) and equals its envelope's.
type Directory struct {
	Format   int                `json:"format"`
	Post     string             `json:"post"`
	Version  int64              `json:"version"`
	Officers []DirectoryOfficer `json:"officers"`
}

// DirectoryOfficer is one officer as a booth receives them.
type DirectoryOfficer struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Posts    []string `json:"posts"`
	Language string   `json:"language"`
	Disabled bool     `json:"disabled,omitempty"`
	// Password is an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
	Password string `json:"password"`
}

// BoothRoles are the roles a directory may carry: the roles that sign in at a
// booth. HQ's own roles (analyst, auditor, hq-admin) never leave HQ.
var BoothRoles = []app.Role{app.RoleOfficer, app.RoleTrainee, app.RoleSupervisor, app.RoleTrainer, app.RolePostAdmin}

// IsBoothRole reports whether r signs in at booths.
func IsBoothRole(r app.Role) bool {
	for _, b := range BoothRoles {
		if r == b {
			return true
		}
	}
	return false
}

// MarshalDirectory encodes d in DirectoryFormat after checking it. Returns EINVALID.
func MarshalDirectory(d Directory) ([]byte, error) {
	d.Format = DirectoryFormat
	if d.Officers == nil {
		d.Officers = []DirectoryOfficer{}
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// ParseDirectory decodes and checks a directory payload: a known format, a
// post, a positive version, each officer once with a name, a booth role, this
// post among its posts and an argon2id hash. Unknown keys are refused, so
// nothing is half-read. Returns EINVALID naming the first fault.
func ParseDirectory(data []byte) (Directory, error) {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Directory{}, app.Errorf(app.EINVALID, "officer directory is not valid JSON: %v", err)
	}
	if head.Format != DirectoryFormat {
		return Directory{}, app.Errorf(app.EINVALID, "officer directory format %d is not one this booth reads (1)", head.Format)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Directory
	if err := dec.Decode(&d); err != nil {
		return Directory{}, app.Errorf(app.EINVALID, "officer directory: %v", err)
	}
	if dec.More() {
		return Directory{}, app.Errorf(app.EINVALID, "officer directory has data after its end")
	}
	if err := d.check(); err != nil {
		return Directory{}, err
	}
	return d, nil
}

func (d Directory) check() error {
	if d.Post == "" {
		return app.Errorf(app.EINVALID, "officer directory names no post")
	}
	if d.Version < 1 {
		return app.Errorf(app.EINVALID, "officer directory version %d is not positive", d.Version)
	}
	seen := make(map[string]bool, len(d.Officers))
	for i, o := range d.Officers {
		if err := o.check(d.Post); err != nil {
			return fmt.Errorf("officer %d: %w", i, err)
		}
		if seen[o.ID] {
			return app.Errorf(app.EINVALID, "officer %s appears twice in the directory", o.ID)
		}
		seen[o.ID] = true
	}
	return nil
}

func (o DirectoryOfficer) check(post string) error {
	switch {
	case strings.TrimSpace(o.ID) == "" || len(o.ID) > 64:
		return app.Errorf(app.EINVALID, "an officer in the directory has no usable service number")
	case strings.TrimSpace(o.Name) == "" || len(o.Name) > 200:
		return app.Errorf(app.EINVALID, "officer %s has no usable name", o.ID)
	case !IsBoothRole(app.Role(o.Role)):
		return app.Errorf(app.EINVALID, "officer %s has role %q, which does not sign in at booths", o.ID, o.Role)
	case !hasPost(o.Posts, post):
		return app.Errorf(app.EINVALID, "officer %s does not serve at post %s", o.ID, post)
	case !strings.HasPrefix(o.Password, "$argon2id$") || len(o.Password) > 256:
		return app.Errorf(app.EINVALID, "officer %s comes without an argon2id password hash", o.ID)
	}
	return nil
}

func hasPost(posts []string, post string) bool {
	for _, p := range posts {
		if p == post {
			return true
		}
	}
	return false
}
