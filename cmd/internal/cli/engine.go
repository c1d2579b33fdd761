package cli

import (
	"context"

	"github.com/tarjama/tarjama/pipeline"
)

// Pipeline builds the document pipeline for the effective engine.
func (a *App) Pipeline(ctx context.Context) (*pipeline.Pipeline, error) {
	return nil, usageErrorf("engines are not wired yet")
}
