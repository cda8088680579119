package gan

import "fmt"

// Method selects the discriminator and the losses.
type Method int

const (
	// Standard is the GAN of Goodfellow et al. (2014) with the
	// non-saturating generator loss: D scores each sample alone.
	Standard Method = iota
	// Mixup trains D on convex combinations α·x + (1−α)·x̃ of real and fake
	// samples with soft label α, α ~ U(0, MixupMax) per sample (after Zhang
	// et al., 2017).
	Mixup
	// BGAN is the paper's batch GAN: D is an invariant network of
	// equivariant layers that scores a whole mixed batch; the loss is the
	// KL ratio loss of the mean of the per-element logits (Eq. 13).
	BGAN
	// MBGAN is the paper's M-BGAN: the KL ratio loss of each element's
	// logit, averaged over the batch (Eq. 14).
	MBGAN
)

// Methods lists every method, in the order of the paper's comparisons.
var Methods = []Method{Standard, Mixup, BGAN, MBGAN}

func (m Method) String() string {
	switch m {
	case Standard:
		return "gan"
	case Mixup:
		return "mixup"
	case BGAN:
		return "bgan"
	case MBGAN:
		return "mbgan"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the method named as String prints it.
func ParseMethod(s string) (Method, error) {
	for _, m := range Methods {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown method %q (want gan, mixup, bgan or mbgan)", ErrConfig, s)
}

// batched reports whether the method uses a batch discriminator.
func (m Method) batched() bool { return m == BGAN || m == MBGAN }

func (m Method) valid() bool { return m >= Standard && m <= MBGAN }
