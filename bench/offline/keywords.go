package main

import (
	"context"
	"errors"
)

func runKeywords(ctx context.Context, data string) error { return errors.New("not yet") }
