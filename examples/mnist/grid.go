package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// gridImage lays out n images, given as values in [0, 1] of shape
// (C, H, W) one after another, in rows of cols, each pixel drawn as a
// scale×scale square and a one-pixel grey line between images. One channel
// is drawn in grey; otherwise the first three channels are drawn as red,
// green and blue (a missing one as 0), so a stacked-MNIST image shows its
// three digits in three colours.
func gridImage(images []float64, c, h, w, cols, scale int) (*image.RGBA, error) {
	size := c * h * w
	if c < 1 || h < 1 || w < 1 || cols < 1 || scale < 1 || len(images) == 0 || len(images)%size != 0 {
		return nil, fmt.Errorf("mnist: grid of %d values as images of shape (%d, %d, %d), %d columns, scale %d", len(images), c, h, w, cols, scale)
	}
	n := len(images) / size
	rows := (n + cols - 1) / cols
	img := image.NewRGBA(image.Rect(0, 0, cols*(w*scale+1)+1, rows*(h*scale+1)+1))
	grey := color.RGBA{128, 128, 128, 255}
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			img.SetRGBA(x, y, grey)
		}
	}
	plane := h * w
	for i := range n {
		x0, y0 := 1+(i%cols)*(w*scale+1), 1+(i/cols)*(h*scale+1)
		for r := range h {
			for q := range w {
				var px [3]uint8
				for ch := range 3 {
					from := ch
					if c == 1 {
						from = 0
					}
					if from >= c {
						continue
					}
					v := images[i*size+from*plane+r*w+q]
					if math.IsNaN(v) {
						return nil, fmt.Errorf("mnist: value %d of image %d is NaN", from*plane+r*w+q, i)
					}
					px[ch] = uint8(math.Round(255 * math.Min(1, math.Max(0, v))))
				}
				col := color.RGBA{px[0], px[1], px[2], 255}
				for dy := range scale {
					for dx := range scale {
						img.SetRGBA(x0+q*scale+dx, y0+r*scale+dy, col)
					}
				}
			}
		}
	}
	return img, nil
}

// writeGrid writes gridImage's picture as a PNG file at path, creating its
// folder if needed.
func writeGrid(path string, images []float64, c, h, w, cols, scale int) error {
	img, err := gridImage(images, c, h, w, cols, scale)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
