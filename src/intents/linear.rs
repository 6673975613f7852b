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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    /// Inverse regularisation strength.
    pub c: f32,
    /// Passes over the data per class, at most.
    pub passes: usize,
    /// When classes trained [`Training::together`] stop: each once its projected gradient is
    /// within this for a pass. (A class trained alone stops when no coordinate moves by more
    /// than 1e-4 in a pass.)
    pub tolerance: f32,
    /// Train the classes of a thread together: each example is read once per pass for all
    /// of them (its decisions for every class are one sparse × dense-rows product, like a
    /// match), instead of once per class. Each class stops when its projected gradient is
    /// within `tolerance`. Same optimum, far less memory traffic.
    pub together: bool,
    /// Threads the classes are trained on.
    pub threads: usize,
    /// Weight of each class's centroid (the normalised sum of its examples) added to its
    /// weights: the decision gains `centroid × cos(x, centroid)`, a nearest-centroid vote
    /// that helps when a class has few examples, at no cost per decision. 0: the plain SVM.
    pub centroid: f32,
}

impl Default for Training {
    fn default() -> Self {
        Training {
            c: 1.0,
            passes: 20,
            tolerance: 0.1,
            together: false,
            threads: 1,
            centroid: 0.0,
        }
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

/// One training problem: what every class's classifier is trained on.
struct Problem<'a> {
    /// The examples' features one after the other (`starts[i]..starts[i + 1]` is example
    /// `i`): the solver streams through them, so they are contiguous.
    entries: &'a [(u32, f32)],
    starts: &'a [usize],
    labels: &'a [u32],
    features: usize,
    /// `|x|² + 1 + diagonal` per example: the dual's curvature in its coordinate.
    norms: &'a [f32],
    /// `1 / 2C` per example.
    diagonals: &'a [f32],
    training: Training,
}

impl Problem<'_> {
    /// The weights (bias last) of `class` against the rest, and the dual solution (one
    /// `alpha` per example). `start`: a dual point to start from (a warm start: the solution
    /// of a problem with more examples, restricted to these), else zero.
    fn train_class(&self, class: usize, start: Option<&[f32]>) -> (Vec<f32>, Vec<f32>) {
        let Problem {
            entries,
            starts,
            labels,
            features,
            norms,
            diagonals,
            training,
        } = *self;
        let bias = features; // index of the constant feature
        let n = labels.len();
        let x = |i: usize| &entries[starts[i]..starts[i + 1]];
        let mut order: Vec<usize> = (0..n).collect();
        let mut w = vec![0.0f32; features + 1];
        let sign = |i: usize| {
            if labels[i] as usize == class {
                1.0
            } else {
                -1.0
            }
        };
        let mut alpha = match start {
            Some(start) => {
                // w = Σ αᵢ yᵢ (xᵢ, 1): the primal point of the starting dual point.
                for (i, &a) in start.iter().enumerate() {
                    if a > 0.0 {
                        let step = a * sign(i);
                        for &(f, v) in x(i) {
                            w[f as usize] += step * v;
                        }
                        w[bias] += step;
                    }
                }
                start.to_vec()
            }
            None => vec![0.0f32; n],
        };
        // The gradient of the dual in coordinate `i`.
        let gradient = |i: usize, w: &[f32], alpha: &[f32]| {
            let margin = x(i).iter().map(|&(f, v)| w[f as usize] * v).sum::<f32>() + w[bias];
            sign(i) * margin - 1.0 + diagonals[i] * alpha[i]
        };
        // Minimises the dual in coordinate `i`; returns the step taken.
        let update = |i: usize, g: f32, w: &mut [f32], alpha: &mut [f32]| {
            let projected = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            if projected.abs() < 1e-12 {
                return 0.0;
            }
            let old = alpha[i];
            alpha[i] = (old - g / norms[i]).max(0.0);
            let step = (alpha[i] - old) * sign(i);
            for &(f, v) in x(i) {
                w[f as usize] += step * v;
            }
            w[bias] += step;
            step
        };
        for pass in 0..training.passes {
            shuffle(
                &mut order,
                0x9E37_79B9_7F4A_7C15 ^ (class * 1000 + pass) as u64,
            );
            let mut largest_step = 0.0f32;
            for &i in &order {
                let g = gradient(i, &w, &alpha);
                largest_step = largest_step.max(update(i, g, &mut w, &mut alpha).abs());
            }
            if largest_step < 1e-4 {
                break;
            }
        }
        (w, alpha)
    }
}

impl Problem<'_> {
    /// The classes `first..first + k` trained together ([`Training::together`]): per class,
    /// its weights (bias last) and its dual solution.
    fn train_together(
        &self,
        first: usize,
        k: usize,
        start: impl Fn(usize) -> Option<Vec<f32>>,
    ) -> Vec<(Vec<f32>, Vec<f32>)> {
        let Problem {
            entries,
            starts,
            labels,
            features,
            norms,
            diagonals,
            training,
        } = *self;
        let n = labels.len();
        let x = |i: usize| &entries[starts[i]..starts[i + 1]];
        let sign = |i: usize, c: usize| {
            if labels[i] as usize == first + c {
                1.0f32
            } else {
                -1.0
            }
        };
        // Weights feature-major (`w[feature * k + c]`, bias last), duals example-major.
        let mut w = vec![0.0f32; (features + 1) * k];
        let mut alpha = vec![0.0f32; n * k];
        let mut steps: Vec<(usize, f32)> = Vec::with_capacity(k);
        let mut dense = vec![0.0f32; k];
        // Adds `step × (x_i, 1)` of each class's step to its weights.
        let apply = |i: usize, steps: &[(usize, f32)], dense: &mut [f32], w: &mut [f32]| {
            if steps.len() * 4 > k {
                dense.iter_mut().for_each(|d| *d = 0.0);
                for &(c, step) in steps {
                    dense[c] = step;
                }
                for &(f, v) in x(i).iter().chain(std::iter::once(&(features as u32, 1.0))) {
                    let row = &mut w[f as usize * k..(f as usize + 1) * k];
                    for (wv, d) in row.iter_mut().zip(dense.iter()) {
                        *wv += d * v;
                    }
                }
            } else {
                for &(f, v) in x(i).iter().chain(std::iter::once(&(features as u32, 1.0))) {
                    let row = &mut w[f as usize * k..(f as usize + 1) * k];
                    for &(c, step) in steps {
                        row[c] += step * v;
                    }
                }
            }
        };
        for c in 0..k {
            if let Some(start) = start(first + c).filter(|a| a.len() == n) {
                for (i, a) in start.into_iter().enumerate() {
                    alpha[i * k + c] = a;
                }
            }
        }
        for i in 0..n {
            steps.clear();
            for c in 0..k {
                if alpha[i * k + c] > 0.0 {
                    steps.push((c, alpha[i * k + c] * sign(i, c)));
                }
            }
            if !steps.is_empty() {
                apply(i, &steps, &mut dense, &mut w);
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        let mut margins = vec![0.0f32; k];
        let (mut max_projected, mut min_projected) = (vec![0.0f32; k], vec![0.0f32; k]);
        // A class whose projected gradient was within the tolerance for a whole pass.
        let mut done = vec![false; k];
        for pass in 0..training.passes {
            // One order for every group of classes, and each class stops on its own: how
            // the classes are split over threads changes no class's result.
            shuffle(&mut order, 0x9E37_79B9_7F4A_7C15 ^ pass as u64);
            max_projected
                .iter_mut()
                .for_each(|m| *m = f32::NEG_INFINITY);
            min_projected.iter_mut().for_each(|m| *m = f32::INFINITY);
            for &i in &order {
                margins.copy_from_slice(&w[features * k..(features + 1) * k]);
                for &(f, v) in x(i) {
                    let row = &w[f as usize * k..(f as usize + 1) * k];
                    for (m, wv) in margins.iter_mut().zip(row) {
                        *m += wv * v;
                    }
                }
                steps.clear();
                for c in 0..k {
                    if done[c] {
                        continue;
                    }
                    let y = sign(i, c);
                    let a = &mut alpha[i * k + c];
                    let g = y * margins[c] - 1.0 + diagonals[i] * *a;
                    let projected = if *a == 0.0 { g.min(0.0) } else { g };
                    max_projected[c] = max_projected[c].max(projected);
                    min_projected[c] = min_projected[c].min(projected);
                    if projected.abs() < 1e-12 {
                        continue;
                    }
                    let old = *a;
                    *a = (old - g / norms[i]).max(0.0);
                    let step = (*a - old) * y;
                    if step != 0.0 {
                        steps.push((c, step));
                    }
                }
                if !steps.is_empty() {
                    apply(i, &steps, &mut dense, &mut w);
                }
            }
            for c in 0..k {
                done[c] |= max_projected[c] - min_projected[c] <= training.tolerance;
            }
            if done.iter().all(|d| *d) {
                break;
            }
        }
        (0..k)
            .map(|c| {
                let weights = (0..=features).map(|f| w[f * k + c]).collect();
                let duals = (0..n).map(|i| alpha[i * k + c]).collect();
                (weights, duals)
            })
            .collect()
    }
}

/// The dual solution of a trained [`Linear`]: per class, one `alpha` per training example
/// (in the order given), zero for an example that does not shape that class's classifier.
#[derive(Debug, Clone)]
pub struct Duals {
    per_class: Vec<Vec<f32>>,
}

impl Duals {
    /// The dual solution restricted to the examples `keep` says yes to (by index): a
    /// feasible start for training on those examples only, close to their solution when
    /// few are left out (cross-validation folds).
    pub fn restrict(&self, keep: impl Fn(usize) -> bool) -> Duals {
        Duals {
            per_class: self
                .per_class
                .iter()
                .map(|alpha| {
                    alpha
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| keep(*i))
                        .map(|(_, a)| *a)
                        .collect()
                })
                .collect(),
        }
    }
}

impl Linear {
    /// Trains one classifier per class on `examples` (vector, class).
    #[cfg(test)]
    pub fn train(
        examples: &[(&SparseVector, u32)],
        classes: usize,
        features: usize,
        training: Training,
    ) -> Linear {
        Linear::train_from(examples, classes, features, training, None).0
    }

    /// [`Linear::train`] from a dual starting point (`start`, for these examples in this
    /// order; see [`Duals::restrict`]), also returning the dual solution. The optimum does
    /// not depend on the start; how many passes it takes does.
    pub fn train_from(
        examples: &[(&SparseVector, u32)],
        classes: usize,
        features: usize,
        training: Training,
        start: Option<&Duals>,
    ) -> (Linear, Duals) {
        let diagonals: Vec<f32> = vec![1.0 / (2.0 * training.c); examples.len()];
        let norms: Vec<f32> = examples
            .iter()
            .zip(&diagonals)
            .map(|((x, _), d)| x.iter().map(|(_, v)| v * v).sum::<f32>() + 1.0 + d)
            .collect();
        let mut entries = Vec::with_capacity(examples.iter().map(|(x, _)| x.len()).sum());
        let mut starts = Vec::with_capacity(examples.len() + 1);
        starts.push(0);
        for (x, _) in examples {
            entries.extend_from_slice(x);
            starts.push(entries.len());
        }
        let labels: Vec<u32> = examples.iter().map(|(_, y)| *y).collect();
        let problem = Problem {
            entries: &entries,
            starts: &starts,
            labels: &labels,
            features,
            norms: &norms,
            diagonals: &diagonals,
            training,
        };
        // Classes are independent: split them over threads (the result does not depend on
        // how many).
        let threads = training.threads.clamp(1, classes.max(1));
        let per_thread = classes.div_ceil(threads).max(1);
        let start_of = |class: usize| {
            start
                .and_then(|d| d.per_class.get(class))
                .filter(|a| a.len() == examples.len())
                .map(Vec::as_slice)
        };
        let trained: Vec<(Vec<f32>, Vec<f32>)> = if training.together {
            let start_of = |class: usize| start_of(class).map(<[f32]>::to_vec);
            if threads == 1 {
                problem.train_together(0, classes, start_of)
            } else {
                std::thread::scope(|scope| {
                    let handles: Vec<_> = (0..classes)
                        .step_by(per_thread)
                        .map(|first| {
                            let (problem, start_of) = (&problem, &start_of);
                            let k = per_thread.min(classes - first);
                            scope.spawn(move || problem.train_together(first, k, start_of))
                        })
                        .collect();
                    handles
                        .into_iter()
                        .flat_map(|h| h.join().expect("a training thread panicked"))
                        .collect()
                })
            }
        } else if threads == 1 {
            (0..classes)
                .map(|class| problem.train_class(class, start_of(class)))
                .collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..classes)
                    .step_by(per_thread)
                    .map(|first| {
                        let (problem, start_of) = (&problem, &start_of);
                        scope.spawn(move || {
                            (first..(first + per_thread).min(classes))
                                .map(|class| problem.train_class(class, start_of(class)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a training thread panicked"))
                    .collect()
            })
        };
        let mut weights = vec![0.0f32; (features + 1) * classes];
        let mut duals = Vec::with_capacity(classes);
        for (class, (w, alpha)) in trained.into_iter().enumerate() {
            for (feature, value) in w.iter().enumerate() {
                weights[feature * classes + class] = *value;
            }
            duals.push(alpha);
        }
        let mut model = Linear {
            classes,
            features,
            weights,
        };
        if training.centroid != 0.0 {
            model.add_centroids(examples, training.centroid);
        }
        (model, Duals { per_class: duals })
    }

    /// Adds `weight × centroid` of each class to its weights.
    fn add_centroids(&mut self, examples: &[(&SparseVector, u32)], weight: f32) {
        let mut sums: Vec<std::collections::HashMap<u32, f32>> =
            vec![std::collections::HashMap::new(); self.classes];
        for (x, label) in examples {
            let sum = &mut sums[*label as usize];
            for &(f, v) in x.iter() {
                *sum.entry(f).or_insert(0.0) += v;
            }
        }
        for (class, sum) in sums.into_iter().enumerate() {
            // Summed in feature order: a map's own order differs from map to map, and the
            // float sum with it, so the same examples would give weights that differ in the
            // last bits from one build to the next.
            let mut entries: Vec<(u32, f32)> = sum.into_iter().collect();
            entries.sort_unstable_by_key(|&(f, _)| f);
            let norm = entries.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                for (f, v) in entries {
                    self.weights[f as usize * self.classes + class] += weight * v / norm;
                }
            }
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

    #[test]
    fn the_same_examples_give_the_same_weights_to_the_last_bit() {
        // Many features per class, so the centroids' norms are long float sums.
        let data: Vec<(SparseVector, u32)> = (0..60u32)
            .map(|i| {
                let x = (0..40u32)
                    .map(|j| ((i * 7 + j * 13) % 300, 1.0 / (1.0 + ((i + j) % 11) as f32)))
                    .collect();
                (x, i % 3)
            })
            .collect();
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let training = Training {
            centroid: 1.0,
            ..Training::default()
        };
        let first = Linear::train(&refs, 3, 300, training).weights;
        for _ in 0..5 {
            let again = Linear::train(&refs, 3, 300, training).weights;
            let same = first
                .iter()
                .zip(&again)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "a retraining moved some weights");
        }
    }

    /// Two noisy, overlapping classes and a third: a problem where the solver has work to do.
    fn noisy_problem() -> Vec<(SparseVector, u32)> {
        let mut state = 7u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 1000) as f32 / 1000.0
        };
        (0..300)
            .map(|i| {
                let class = (i % 3) as u32;
                let mut x: SparseVector = (0..6)
                    .map(|f| (f, next() + if f / 2 == class { 0.6 } else { 0.0 }))
                    .collect();
                let norm = x.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
                x.iter_mut().for_each(|(_, v)| *v /= norm);
                (x, class)
            })
            .collect()
    }

    /// Trains `variant` and each class alone on the noisy problem, and asserts their
    /// decisions agree within 0.05 on every example.
    fn assert_reaches_the_plain_classifier(variant: Training) {
        let data = noisy_problem();
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let plain = Linear::train(
            &refs,
            3,
            6,
            Training {
                passes: 1000,
                ..Training::default()
            },
        );
        let other = Linear::train(&refs, 3, 6, variant);
        for (x, _) in &data {
            for (a, b) in plain.decide(x).iter().zip(other.decide(x)) {
                assert!((a - b).abs() < 0.05, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn a_warm_start_reaches_the_classifier_of_a_cold_one() {
        let data = noisy_problem();
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let training = Training {
            passes: 1000,
            together: true,
            tolerance: 0.01,
            ..Training::default()
        };
        let (_, duals) = Linear::train_from(&refs, 3, 6, training, None);
        // Without every fourth example, from the full problem's solution and from zero.
        let keep = |i: usize| !i.is_multiple_of(4);
        let fold: Vec<(&SparseVector, u32)> = refs
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, e)| *e)
            .collect();
        let cold = Linear::train(&fold, 3, 6, training);
        let start = duals.restrict(keep);
        let (warm, _) = Linear::train_from(&fold, 3, 6, training, Some(&start));
        let full = Linear::train(&refs, 3, 6, training);
        let (mut moved, mut differ) = (0.0f32, 0.0f32);
        for (x, _) in &data {
            for ((c, w), f) in cold
                .decide(x)
                .iter()
                .zip(warm.decide(x))
                .zip(full.decide(x))
            {
                differ = differ.max((c - w).abs());
                moved = moved.max((c - f).abs());
            }
        }
        assert!(differ < 0.05, "warm and cold differ by {differ}");
        // The fold's solution is not the full problem's: the test would pass vacuously if
        // leaving examples out changed nothing.
        assert!(moved > differ, "{moved} {differ}");
    }

    #[test]
    fn classes_trained_together_reach_the_classifiers_trained_alone() {
        assert_reaches_the_plain_classifier(Training {
            passes: 1000,
            together: true,
            tolerance: 0.01,
            ..Training::default()
        });
    }

    /// Trains the noisy problem with `training` on one thread and on two: the same weights.
    fn assert_threads_do_not_change(training: Training) {
        let data = noisy_problem();
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let one = Linear::train(
            &refs,
            3,
            6,
            Training {
                threads: 1,
                ..training
            },
        );
        let two = Linear::train(
            &refs,
            3,
            6,
            Training {
                threads: 2,
                ..training
            },
        );
        assert_eq!(one.weights, two.weights);
    }

    #[test]
    fn threads_do_not_change_a_model_trained_together() {
        assert_threads_do_not_change(Training {
            together: true,
            ..Training::default()
        });
    }

    #[test]
    fn threads_do_not_change_the_model() {
        assert_threads_do_not_change(Training::default());
    }

    #[test]
    fn a_centroid_adds_the_cosine_to_its_class() {
        let data: Vec<(SparseVector, u32)> =
            vec![(vec![(0, 0.6), (1, 0.8)], 0), (vec![(2, 1.0)], 1)];
        let refs: Vec<(&SparseVector, u32)> = data.iter().map(|(x, y)| (x, *y)).collect();
        let plain = Linear::train(&refs, 2, 3, Training::default());
        let blended = Linear::train(
            &refs,
            2,
            3,
            Training {
                centroid: 0.5,
                ..Training::default()
            },
        );
        let query = vec![(1, 1.0)];
        let (p, b) = (plain.decide(&query), blended.decide(&query));
        assert!((b[0] - p[0] - 0.5 * 0.8).abs() < 1e-5, "{p:?} {b:?}");
        assert!((b[1] - p[1]).abs() < 1e-5, "{p:?} {b:?}");
    }
}
