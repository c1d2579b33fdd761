package tokens

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestCount(t *testing.T) {
	if ok, err := Ready(); !ok {
		t.Fatalf("encoder did not load offline: %v", err)
	}
	// Reference counts from OpenAI's tiktoken (o200k_base).
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"hello world", 2},
		{"Hello, world!", 4},
	}
	for _, tt := range tests {
		if got := Count(tt.text); got != tt.want {
			t.Errorf("Count(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
	ar := "قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة."
	n := Count(ar)
	if n < 8 || n > 40 {
		t.Errorf("Count(arabic sentence) = %d, implausible", n)
	}
	if long := Count(strings.Repeat(ar+" ", 10)); long < 9*n || long > 11*n {
		t.Errorf("Count is not about linear: %d vs 10×%d", long, n)
	}
}

func TestEstimateLeansHigh(t *testing.T) {
	texts := []string{
		"The foreign minister said talks would resume next week in Cairo.",
		"قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة.",
		"وأضاف المتحدث باسم الوزارة، في بيان صحفي، أن \"الوضع الإنساني في غزة كارثي\" (بحسب الأمم المتحدة).",
		"GDP grew 3.4% in Q2 2024, up from 2.1%.",
	}
	for _, s := range texts {
		c, e := Count(s), Estimate(s)
		if e < c || e > 3*c {
			t.Errorf("Estimate = %d, Count = %d for %q: want Count ≤ Estimate ≤ 3×Count", e, c, s)
		}
	}
	if Estimate("") != 0 {
		t.Error("Estimate(\"\") != 0")
	}
}

func TestCountConcurrent(t *testing.T) {
	done := make(chan int)
	for range 8 {
		go func() { done <- Count("مرحبا بالعالم hello") }()
	}
	first := <-done
	for range 7 {
		if n := <-done; n != first {
			t.Errorf("concurrent counts differ: %d vs %d", n, first)
		}
	}
}

// TestChildLoad is BenchmarkInit's child process: it loads the encoder once
// in a fresh process and prints the time and retained heap.
func TestChildLoad(t *testing.T) {
	if os.Getenv("TOKENS_CHILD_LOAD") != "1" {
		t.Skip("run by BenchmarkInit")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ok, err := Ready()
	d := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if !ok {
		t.Fatal(err)
	}
	fmt.Printf("LOAD %d %d\n", d.Nanoseconds(), int64(after.HeapAlloc)-int64(before.HeapAlloc))
}

// BenchmarkInit measures what the first Count in a process pays: building
// the o200k_base encoder from the embedded BPE file. tiktoken-go caches
// encodings globally, so each iteration runs in a fresh child process.
func BenchmarkInit(b *testing.B) {
	var total time.Duration
	var heap int64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildLoad$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TOKENS_CHILD_LOAD=1")
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		var ns, h int64
		i := strings.Index(string(out), "LOAD ")
		if i < 0 {
			b.Fatalf("child said %s", out)
		}
		fmt.Sscanf(string(out[i:]), "LOAD %d %d", &ns, &h)
		total += time.Duration(ns)
		heap = h
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "load-ms")
	b.ReportMetric(float64(heap)/(1<<20), "retained-MB")
}

func BenchmarkCountArabic(b *testing.B) {
	text := strings.Repeat("قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة. ", 50)
	Count("warm up")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Count(text)
	}
}

func BenchmarkEstimateArabic(b *testing.B) {
	text := strings.Repeat("قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة. ", 50)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Estimate(text)
	}
}
