package main

import (
	"image/color"
	"math"
	"testing"
)

// TestGridImageLayout: two 2×2 RGB images in a row at scale 2, each
// channel a distinct level, land where the layout says, with the grey
// separator around them.
func TestGridImageLayout(t *testing.T) {
	img0 := []float64{
		1, 1, 1, 1, // red plane
		0, 0, 0, 0, // green
		0.5, 0.5, 0.5, 0.5, // blue
	}
	img1 := []float64{
		0, 0, 0, 0,
		0, 1, 0, 0, // green at (row 0, col 1)
		0, 0, 0, 2, // blue above 1 is drawn as 1
	}
	g, err := gridImage(append(img0, img1...), 3, 2, 2, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Width: 2 images × (2·2 + 1) + 1 = 11; height 1 × 5 + 1 = 6.
	if b := g.Bounds(); b.Dx() != 11 || b.Dy() != 6 {
		t.Fatalf("grid of %v, want 11×6", b)
	}
	grey := color.RGBA{128, 128, 128, 255}
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, grey}, {5, 3, grey}, {10, 5, grey},
		{1, 1, color.RGBA{255, 0, 128, 255}}, {4, 4, color.RGBA{255, 0, 128, 255}},
		// Image 1 starts at x = 6; its pixel (0, 1) covers x 8–9, y 1–2.
		{8, 1, color.RGBA{0, 255, 0, 255}}, {9, 2, color.RGBA{0, 255, 0, 255}},
		{6, 1, color.RGBA{0, 0, 0, 255}},
		{9, 4, color.RGBA{0, 0, 255, 255}},
	} {
		if got := g.RGBAAt(c.x, c.y); got != c.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestGridImageBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		vals          []float64
		ch, h, w, col int
	}{
		"channels": {make([]float64, 8), 0, 2, 2, 1},
		"ragged":   {make([]float64, 5), 1, 2, 2, 1},
		"empty":    {nil, 1, 2, 2, 1},
		"columns":  {make([]float64, 4), 1, 2, 2, 0},
		"NaN":      {[]float64{0, math.NaN(), 0, 0}, 1, 2, 2, 1},
	} {
		if _, err := gridImage(c.vals, c.ch, c.h, c.w, c.col, 1); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestGridImageTwoChannels: two channels are drawn as red and green, blue
// left at 0; one channel is grey.
func TestGridImageTwoChannels(t *testing.T) {
	g, err := gridImage([]float64{1, 0.2}, 2, 1, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.RGBAAt(1, 1), (color.RGBA{255, 51, 0, 255}); got != want {
		t.Errorf("two channels: %v, want %v", got, want)
	}
	if g, err = gridImage([]float64{0.2}, 1, 1, 1, 1, 1); err != nil {
		t.Fatal(err)
	}
	if got, want := g.RGBAAt(1, 1), (color.RGBA{51, 51, 51, 255}); got != want {
		t.Errorf("one channel: %v, want %v", got, want)
	}
}
