package brief

import "testing"

func TestDbg(t *testing.T) {
	for _, s := range []string{"اجتاحت سيول جارفة صنعاء القديمة بعد أمطار غزيرة، وقتل 12 شخصا على الأقل.", "لقي 15 شخصا مصرعهم جراء سيول جارفة اجتاحت العاصمة اليمنية صنعاء، وفق ما أعلنته وزارة الصحة."} {
		for _, c := range numberClaims(s, "ar") {
			t.Logf("%q %q %v", c.key, c.value, c.context)
		}
	}
}
