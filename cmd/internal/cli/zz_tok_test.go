package cli
import ("testing";"time";"github.com/tarjama/tarjama/pipeline/llm/tokens")
func TestTokTiming(t *testing.T){ t0:=time.Now(); tokens.Count("مرحبا"); t.Logf("first Count %v", time.Since(t0)); t0=time.Now(); newTestApp(t, nil, ""); t.Logf("detector %v", time.Since(t0)) }
