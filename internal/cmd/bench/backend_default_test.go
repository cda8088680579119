//go:build !openblas

package main

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
)

// benchBackends are the BLAS implementations the benchmarks run with, as
// in package accel's benchmarks: gorgonia's default and accel's.
var benchBackends = []struct {
	name string
	blas gorgonia.BLAS
}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}}
