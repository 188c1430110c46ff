package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"hash/fnv"

	"modernc.org/sqlite"
)

// History's keys (schema 6, issue 14 item 13). A crossing row no longer
// repeats the six text fields of its payload that travel history looks it
// up by; it keeps two 8-byte keys instead, FNV-1a of the document (number,
// issuing state) and of the person (surname, birth date, given names,
// nationality), and History weeds out the rare collision by decoding the
// payload, as it does anyway.
func key(fields ...string) int64 {
	h := fnv.New64a()
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0x1f}) // unit separator: ("AB","C") is not ("A","BC")
	}
	return int64(h.Sum64())
}

func docKey(number, state string) int64 { return key(number, state) }

// recordID is the id a record's payload holds ("" when none): the crossing
// row keeps only its key. Format-1 records spell it "ID", which
// encoding/json matches too.
func recordID(payload []byte) string {
	var r struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(payload, &r) != nil {
		return ""
	}
	return r.ID
}

func personKey(surname, birthDate, givenNames, nationality string) int64 {
	return key(surname, birthDate, givenNames, nationality)
}

// keyFunction is key as an SQL function, chekara_key(…), for migration 5,
// which computes the keys of the rows written before it.
const keyFunction = "chekara_key"

func init() {
	err := sqlite.RegisterDeterministicScalarFunction(keyFunction, -1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		fields := make([]string, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case nil:
			case string:
				fields[i] = v
			case []byte:
				fields[i] = string(v)
			default:
				fields[i] = fmt.Sprint(v)
			}
		}
		return key(fields...), nil
	})
	if err != nil {
		panic(err)
	}
	// chekara_payload(stored) is a stored payload as JSON text (compact.go
	// deflates them), for migration 7, which reads the shift of the records
	// written before it.
	err = sqlite.RegisterDeterministicScalarFunction("chekara_payload", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		b, ok := args[0].([]byte)
		if !ok {
			if s, isText := args[0].(string); isText {
				return s, nil
			}
			return nil, nil
		}
		p, err := unpackPayload(b)
		if err != nil {
			return nil, err
		}
		return string(p), nil
	})
	if err != nil {
		panic(err)
	}
}
