// Command bench runs symnet's benchmarks at the shapes of the PyTorch
// reference script torch_ref.py (kept beside the repository in
// ../shared/bench) and prints one table beside PyTorch's times from the
// same sitting.
//
// Run it from anywhere inside the module:
//
//	go run ./internal/cmd/bench                  # pure Go: gonum and accel backends
//	go run ./internal/cmd/bench -tags openblas   # also OpenBLAS (needs libopenblas-dev)
//	go run ./internal/cmd/bench -rows fwdbwd -count 10
//
// # Rows
//
// All use sets (batches) of B = 256 and 512-unit layers, float32 and
// float64:
//
//	dense_fwdbwd   forward and backward of relu(x W + b), 512 → 512 (accel's BenchmarkDenseFwdBwd)
//	equi_fwdbwd    the same through the equivariant layer of Eq. 12 (accel's BenchmarkEquiFwdBwd)
//	mlp_step       a training step of a 2→512→512→512→1 ReLU MLP of equivariant.Linear layers:
//	               MSE, backward, Adam (this package's BenchmarkMLPStep)
//	bgan_dstep     a BGAN discriminator step on 2-D data (gan's BenchmarkBGANDStep)
//	bgan_gstep     a BGAN generator step (gan's BenchmarkBGANGStep)
//	optimal_b4096  the optimal discriminator D* of a batch of 4096 (mixbatch's
//	               BenchmarkOptimal/B=4096, float64, no BLAS; no PyTorch row)
//
// Each Go benchmark runs with every BLAS backend the build has, named in
// its sub-benchmarks: gonum (gorgonia's default), accel (package accel's
// assembly kernels) and openblas (with -tags openblas). A benchmark's name
// elements after the function give its dtype and backend in any order,
// possibly as key=value (BenchmarkBGANDStep/blas=accel); a backend it does
// not name is labelled "default", which is gorgonia's gonum unless the
// benchmark installs another.
//
// # Method
//
// The command builds each package's test binary once, then runs -count
// rounds. A round runs every benchmark once (go test -bench with
// -benchtime, GOMAXPROCS set by -threads), then torch_ref.py once per
// dtype (30 calls after 10 warm-up calls, torch.set_num_threads set by
// -torchthreads). Interleaving the two keeps a slow spell of a shared
// machine from landing on one side only. The table gives, per row, dtype
// and backend, the median over rounds of symnet's ms per call and the
// fastest round, PyTorch's median, and the ratio of the medians; a second
// table gives equi_fwdbwd / dense_fwdbwd, the equivariant layer's overhead.
// Cells are blank where a benchmark does not exist or PyTorch is missing
// (no torch module for -python, or no torch_ref.py at -torchref).
//
// On a small machine PyTorch's OpenMP threads spin-wait for each other;
// when other work shares the cores, -torchthreads 1 can be much faster
// than 2.
//
// # Where the time goes
//
// CPU profiles (go test -cpuprofile on the benchmarks, float32, accel's
// gemm, one core of a 2.0 GHz first-generation AMD EPYC, December 2026):
//
//   - equi_fwdbwd: the three 256×512×512 products are 79% of the samples
//     (micro-kernel 66%, packing and gathering 10%); gorgonia's repeat of
//     the cost's gradient, its Add of the two gradients reaching x, and
//     allocation share most of the rest. The equivariant layer's own work
//     (the set mean, the 1×512 pooled product, the broadcast back) does
//     not stand out of the noise in a profile diff against dense_fwdbwd.
//   - bgan_dstep: products 62% (kernel 50%, packing 11%), Adam 13%,
//     gorgonia's per-run allocation of non-preallocated values (memclr of
//     new arrays) 6%, the fused bias add and rectifier 8%, the rest
//     sampling, mixing and gorgonia's tape machine.
//   - The convolutional D step of examples/mnist (gan's BenchmarkConvDStep)
//     is dominated by gorgonia's convolution machinery, not by arithmetic:
//     im2col 15%, transposes 14%, copies and clears 17%, iterators 8%,
//     max pooling 5%, against 20% in the products themselves.
//
// accel's float32 kernel runs the 256×512×512 products at 19–27 GFLOP/s
// on that core, 60–85% of its FMA peak of 32 GFLOP/s (two 128-bit FMA
// units at 2.0 GHz); gonum's pure-Go gemm runs them at 3.7–5.3.
package main
