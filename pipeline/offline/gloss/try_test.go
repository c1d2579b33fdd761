package gloss

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestTry(t *testing.T) {
	st := time.Now()
	d, err := Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("load", time.Since(st), d.Headwords, len(d.light), len(d.heavy), len(d.phrases))
	for _, s := range []string{
		"وقال السيد آدامز \"إن الأشخاص القدامى الذين تكلم معهم قالوا بأنه في الماضي كان هناك بار وكنسية في كل ركن\".",
		"تفتتح أول دار عرض سينمائي في السعودية منذ أكثر من 35 عاما يوم 18 إبريل/نيسان، بعرض الفيلم الأمريكي \"النمر الأسود\".",
		"وبالكتاب كتابهم والحكومة الإيرانية قآني الكاظمي ترامب للحكومة والولايات المتحدة",
	} {
		r := d.GlossText(s)
		fmt.Println(r.Text, r.Coverage)
		for _, tk := range r.Tokens {
			fmt.Printf("  %s=%s[%s %s]", tk.Source, tk.Gloss, tk.Kind, tk.Lemma)
		}
		fmt.Println()
	}
}
