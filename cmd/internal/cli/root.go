// Package cli is tarjama's command tree (cobra): one file per command, each
// parsing flags into options, calling the library, and rendering. Main maps
// errors to exit codes in one place (exit.go).
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// App holds what every command shares: the streams, the environment, the
// logger and the effective configuration (filled in PersistentPreRunE).
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StderrIsTerminal decides between a progress bar and JSON progress
	// lines.
	StderrIsTerminal bool
	Logger           *slog.Logger
	Cfg              Config
	// HTTPClient, when set, is the base HTTP client of LLM clients (tests).
	HTTPClient *http.Client
	root       *cobra.Command
	engines    *engines
}

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	if f, ok := stderr.(*os.File); ok {
		a.StderrIsTerminal = term.IsTerminal(int(f.Fd()))
	}
	return a.Main(ctx, args)
}

// Main runs the command line with a's streams and environment.
func (a *App) Main(ctx context.Context, args []string) int {
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(a.Stdin)
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		if ctx.Err() != nil && exitCodeFor(err) != ExitUsage {
			fmt.Fprintln(a.Stderr, "tarjama: interrupted; finished documents were written (batch: run the same command again to resume)")
			return ExitInterrupted
		}
		msg := err.Error()
		if _, ok := err.(*exitError); !ok && isFlagError(msg) {
			fmt.Fprintf(a.Stderr, "tarjama: %s (see tarjama %s --help)\n", msg, strings.Join(commandPath(root, args), " "))
			return ExitUsage
		}
		fmt.Fprintf(a.Stderr, "tarjama: %s\n", oneLine(msg))
	}
	return exitCodeFor(err)
}

func (a *App) newRootCmd() *cobra.Command {
	cfg := &a.Cfg
	root := &cobra.Command{
		Use:   "tarjama",
		Short: "Turn foreign-language news (Arabic first) into English an analyst can act on",
		Long: `tarjama detects the language of news articles, translates them to English,
summarizes them for a briefing and extracts keywords and named entities,
through any OpenAI-compatible chat API or, with no API configured, an
embedded offline engine.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
	}
	a.root = root
	pf := root.PersistentFlags()
	pf.StringVar(&cfg.Engine, "engine", "auto", "engine: auto (llm when an endpoint is configured, else offline), llm, offline")
	pf.StringVar(&cfg.Model, "model", "", "model name (env TARJAMA_MODEL; default "+DefaultModel+" when an endpoint is set)")
	pf.StringVar(&cfg.BaseURL, "base-url", "", "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)")
	pf.StringVar(&cfg.CacheDir, "cache", "", "response cache directory (env TARJAMA_CACHE_DIR); off when empty")
	pf.StringVar(&cfg.CacheMode, "cache-mode", "", "cache mode: readwrite (default with --cache), replay (never call the API), off")
	pf.StringVar(&cfg.PromptsDir, "prompts", "", "directory of prompt templates overriding the embedded ones")
	pf.StringVar(&cfg.Glossary, "glossary", "", "glossary file (TSV source<TAB>English, or JSON) applied to translations")
	pf.StringVar(&cfg.Dict, "dict", "", "Arabic-English dictd dictionary for the offline gloss (env TARJAMA_DICT)")
	pf.DurationVar(&cfg.Timeout, "timeout", 2*time.Minute, "timeout for one API request (env TARJAMA_TIMEOUT)")
	pf.IntVar(&cfg.RPM, "rpm", 0, "client-side limit on requests per minute (0: none; env TARJAMA_RPM)")
	pf.IntVar(&cfg.TPM, "tpm", 0, "client-side limit on tokens per minute (0: none; env TARJAMA_TPM)")
	pf.StringVar(&cfg.EnvFile, "env-file", ".env", "dotenv file read for settings not in the environment")
	pf.BoolVarP(&cfg.Verbose, "verbose", "v", false, "log each step to stderr (article text is never logged)")
	pf.BoolVarP(&cfg.Quiet, "quiet", "q", false, "print nothing on stderr but errors")
	root.AddCommand(a.subcommands()...)
	return root
}

// subcommands lists the command tree; one constructor per file.
func (a *App) subcommands() []*cobra.Command {
	cmds := []*cobra.Command{
		newRunCmd(a),
		newBatchCmd(a),
		newBriefCmd(a),
		newDoctorCmd(a),
		newVersionCmd(a),
		newScoreCmd(a),
		newEvalCmd(a),
	}
	return append(cmds, newStageCmds(a)...)
}

// setup resolves the configuration and the logger before any command runs.
func (a *App) setup(cmd *cobra.Command) error {
	flagSet := func(name string) bool {
		f := cmd.Flags().Lookup(name)
		return f != nil && f.Changed
	}
	dot, err := readDotenv(a.Cfg.EnvFile, flagSet("env-file"))
	if err != nil {
		return err
	}
	if err := a.Cfg.resolve(envLookup{getenv: a.Getenv, dotenv: dot, dotFile: a.Cfg.EnvFile}, flagSet); err != nil {
		return err
	}
	level := slog.LevelWarn
	if a.Cfg.Verbose {
		level = slog.LevelDebug
	}
	if a.Cfg.Quiet {
		level = slog.LevelError
	}
	a.Logger = slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// infof prints a one-line message on stderr unless --quiet.
func (a *App) infof(format string, args ...any) {
	if !a.Cfg.Quiet {
		fmt.Fprintf(a.Stderr, "tarjama: "+format+"\n", args...)
	}
}

func newVersionCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(a.Stdout, "tarjama", Version)
			return nil
		},
	}
}

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

func isFlagError(msg string) bool {
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "unknown command", "accepts ", "requires at least", "requires exactly"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func commandPath(root *cobra.Command, args []string) []string {
	c, _, err := root.Find(args)
	if err != nil || c == nil || c == root {
		return nil
	}
	return strings.Fields(strings.TrimPrefix(c.CommandPath(), "tarjama"))
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}
