package screening

// wdist is a weighted Damerau–Levenshtein distance between two upper-case
// Latin spellings, giving up (returning more than limit) as soon as every
// path costs more than limit. Edits that change the sound little cost
// LookAlikeNameCost: I/Y/J, E/Y, E/I, K/Q, C/K, S/Z, V/W, a doubled letter, an
// inserted or dropped H (MUHAMMAD/MUKHAMMAD) or Y (MARIA/MARIYA).
func wdist(a, b string, limit float64) float64 {
	la, lb := len(a), len(b)
	if d := la - lb; float64(d) > 2*limit+0.5 || float64(-d) > 2*limit+0.5 {
		return limit + 1
	}
	if la > 40 || lb > 40 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	var rows [3][42]float64
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= lb; j++ {
		if j == 0 {
			prev[0] = 0
		} else {
			prev[j] = prev[j-1] + indelCost(b, j-1)
		}
	}
	for i := 1; i <= la; i++ {
		cur[0] = prev[0] + indelCost(a, i-1)
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			ca, cb := a[i-1], b[j-1]
			sub := prev[j-1]
			if ca != cb {
				sub += subCost(ca, cb)
			}
			del := prev[j] + indelCost(a, i-1)
			ins := cur[j-1] + indelCost(b, j-1)
			v := min(sub, del, ins)
			if i > 1 && j > 1 && ca == b[j-2] && a[i-2] == cb && ca != cb {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// indelCost is the cost of inserting or deleting s[i].
func indelCost(s string, i int) float64 {
	c := s[i]
	if c == 'H' || c == 'Y' || (i > 0 && s[i-1] == c) || (i+1 < len(s) && s[i+1] == c) {
		return LookAlikeNameCost
	}
	return 1
}

func subCost(a, b byte) float64 {
	if a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && cheapSub[a-'A'][b-'A'] {
		return LookAlikeNameCost
	}
	return 1
}

// cheapSub marks the letter pairs that spell one sound in the region's
// transliterations.
var cheapSub = func() (t [26][26]bool) {
	for _, p := range []string{"IY", "IJ", "JY", "EY", "KQ", "CK", "SZ", "VW", "EI"} {
		a, b := p[0]-'A', p[1]-'A'
		t[a][b], t[b][a] = true, true
	}
	return t
}()
