//! One-vs-rest linear SVMs (L2-regularised, squared hinge loss) trained by dual coordinate
//! descent, as liblinear does (Hsieh et al., ICML 2008): the classical strong baseline for
//! short-text classification on TF-IDF features, and fast enough to retrain on every reload.

/// Sparse vector: (feature id, value), ids unique.
pub type SparseVector = Vec<(u32, f32)>;

/// Weights of every class, feature-major (`weights[feature * classes + class]`) so that
/// scoring a sparse query touches contiguous memory; the bias is the last "feature".
#[derive(Debug, Clone)]
pub struct Linear {
    classes: usize,
    features: usize,
    weights: Vec<f32>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Training {
    /// Inverse regularisation strength.
    pub c: f32,
    /// Passes over the data per class.
    pub passes: usize,
}

impl Default for Training {
    fn default() -> Self {
        Training { c: 1.0, passes: 20 }
    }
}

/// A small deterministic shuffle (xorshift), so a content version always trains the same model.
fn shuffle(order: &mut [usize], seed: u64) {
    let mut state = seed | 1;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

impl Linear {
    /// Trains one classifier per class on `examples` (vector, class).
    pub fn train(
        examples: &[(&SparseVector, u32)],
        classes: usize,
        features: usize,
        training: Training,
    ) -> Linear {
        let bias = features; // index of the constant feature
        let mut weights = vec![0.0f32; (features + 1) * classes];
        let diagonal = 1.0 / (2.0 * training.c);
        let norms: Vec<f32> = examples
            .iter()
            .map(|(x, _)| x.iter().map(|(_, v)| v * v).sum::<f32>() + 1.0 + diagonal)
            .collect();
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut w = vec![0.0f32; features + 1];
        for class in 0..classes {
            w.iter_mut().for_each(|v| *v = 0.0);
            let mut alpha = vec![0.0f32; examples.len()];
            for pass in 0..training.passes {
                shuffle(
                    &mut order,
                    0x9E37_79B9_7F4A_7C15 ^ (class * 1000 + pass) as u64,
                );
                let mut largest_step = 0.0f32;
                for &i in &order {
                    let (x, label) = examples[i];
                    let y = if label as usize == class { 1.0 } else { -1.0 };
                    let margin = x.iter().map(|&(f, v)| w[f as usize] * v).sum::<f32>() + w[bias];
                    let gradient = y * margin - 1.0 + diagonal * alpha[i];
                    let projected = if alpha[i] == 0.0 {
                        gradient.min(0.0)
                    } else {
                        gradient
                    };
                    if projected.abs() < 1e-12 {
                        continue;
                    }
                    let old = alpha[i];
                    alpha[i] = (old - gradient / norms[i]).max(0.0);
                    let step = (alpha[i] - old) * y;
                    largest_step = largest_step.max(step.abs());
                    for &(f, v) in x.iter() {
                        w[f as usize] += step * v;
                    }
                    w[bias] += step;
                }
                if largest_step < 1e-4 {
                    break;
                }
            }
            for (feature, value) in w.iter().enumerate() {
                weights[feature * classes + class] = *value;
            }
        }
        Linear {
            classes,
            features,
            weights,
        }
    }

    /// Decision value of every class for `x`.
    pub fn decide(&self, x: &SparseVector) -> Vec<f32> {
        let k = self.classes;
        let bias = self.features * k;
        let mut out = self.weights[bias..bias + k].to_vec();
        for &(f, v) in x {
            let row = &self.weights[f as usize * k..(f as usize + 1) * k];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w * v;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_what_is_separable() {
        // class 0 uses features 0/1, class 1 uses 2/3, class 2 uses 4.
        let data: Vec<(SparseVector, u32)> = vec![
            (vec![(0, 1.0)], 0),
            (vec![(0, 0.7), (1, 0.7)], 0),
            (vec![(2, 1.0)], 1),
            (vec![(2, 0.6), (3, 0.8)], 1),
            (vec![(4, 1.0)], 2),
            (vec![(4, 0.8), (1, 0.2)], 2),
        ];
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let model = Linear::train(&refs, 3, 5, Training::default());
        for (x, y) in &data {
            let d = model.decide(x);
            let best = (0..3).max_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap();
            assert_eq!(best as u32, *y, "{d:?}");
        }
        let d = model.decide(&vec![(3, 1.0)]);
        assert!(d[1] > d[0] && d[1] > d[2]);
    }
}
