//! The intent matcher of one locale: TF-IDF over [`features`], one-vs-rest linear SVMs
//! ([`Linear`]) over it, and a confidence calibrated on cross-validated decisions of the
//! store's own examples (Platt scaling).

use std::collections::HashMap;

use super::features::{block, Analyzer, Block, Feature};
use super::linear::{Duals, Linear, SparseVector, Training};

/// Intents per held-out example that give calibration samples (the rest are far below).
const CALIBRATION_CANDIDATES: usize = 5;

/// One scored intent.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub intent: String,
    /// The classifier's decision value: higher is better, around +1 for a clear match.
    pub score: f32,
}

/// The matcher's answer for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The intent, or `None` when the confidence is below the threshold (the fallback).
    pub intent: Option<String>,
    /// Calibrated probability that the best intent is right, 0..1.
    pub confidence: f32,
    /// The best intents by decision value, best first (at most three).
    pub ranked: Vec<Scored>,
}

/// How the confidence is calibrated: on decisions of models trained on `folds - 1` folds
/// of the examples for the examples of the remaining fold, fold after fold until
/// `max_held_out` examples have been decided (each fold costs one more training, so a large
/// store pays for one or two, a small one gets every example as a sample).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibrate {
    pub folds: usize,
    pub max_held_out: usize,
    /// Each fold's training starts from the store's own dual solution without the fold's
    /// examples (the same optimum, reached in a few passes instead of a whole training).
    pub warm_start: bool,
    /// The folds' solver tolerance, when looser than the store's own: the fold models only
    /// give the calibration its samples (their decisions' distribution), not answers.
    pub tolerance: Option<f32>,
}

/// How a matcher is built. [`Settings::default`] is what the gateway ships;
/// [`Settings::baseline`] is the classical TF-IDF + linear SVM it is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The features of a text.
    pub analyzer: Analyzer,
    pub training: Training,
    pub calibrate: Calibrate,
}

impl Default for Settings {
    fn default() -> Self {
        // Chosen on the development splits of `tools/lab/examples/intent_tune.rs` (training lines
        // only; docs/ACCURACY.md): against 3–5-grams, C = 1 and no centroid, 2–4-grams
        // gain on all four sets, C = 2 and the centroid blend mostly on xSID and few-shot.
        Settings {
            analyzer: Analyzer {
                char_min: 2,
                char_max: 4,
                ..Analyzer::default()
            },
            // The solver: classes trained together (each stopping on its own at tolerance
            // 0.1), calibration folds warm-started to tolerance 1 — about half the CPU time
            // of liblinear-style shrinking per class, with the same dev figures
            // (docs/ACCURACY.md; tolerance 0.3 cost 0.3 points on xSID, 10-shot and CLINC).
            training: Training {
                c: 2.0,
                passes: 100,
                together: true,
                tolerance: 0.1,
                threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
                centroid: 1.0,
            },
            calibrate: Calibrate {
                folds: 5,
                max_held_out: 2000,
                warm_start: true,
                tolerance: Some(1.0),
            },
        }
    }
}

impl Settings {
    /// TF-IDF over words, word pairs and character n-grams in one norm, one-vs-rest linear
    /// SVMs (C = 1), Platt scaling on 4-fold cross-validated decisions: the matcher before
    /// the answer-quality work, kept to be measured against.
    pub fn baseline() -> Settings {
        Settings {
            analyzer: Analyzer::default(),
            training: Training::default(),
            calibrate: Calibrate {
                folds: 4,
                max_held_out: usize::MAX,
                warm_start: false,
                tolerance: None,
            },
        }
    }
}

/// Features are already hashes: the vocabulary's map uses them as they are.
#[derive(Debug, Clone, Copy, Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Vocabulary = HashMap<Feature, u32, std::hash::BuildHasherDefault<PassThrough>>;

#[derive(Debug, Clone)]
pub struct Matcher {
    intents: Vec<String>,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
    /// The block of each feature id.
    blocks: Vec<Block>,
    examples: usize,
    model: Linear,
    calibration: Calibration,
    settings: Settings,
}

impl Matcher {
    /// Builds a matcher from `(intent, example text)` pairs with the default [`Settings`].
    /// Intents are listed in `intents`; an example naming another intent is a bug of the
    /// caller and is skipped.
    pub fn build(intents: &[String], examples: &[(String, String)]) -> Matcher {
        Matcher::build_with(intents, examples, Settings::default())
    }

    /// [`Matcher::build`] with explicit settings.
    pub fn build_with(
        intents: &[String],
        examples: &[(String, String)],
        settings: Settings,
    ) -> Matcher {
        let intent_index: HashMap<&str, u32> = intents
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i as u32))
            .collect();
        let mut vocabulary = Vocabulary::default();
        let mut document_frequency: Vec<u32> = Vec::new();
        let mut blocks: Vec<Block> = Vec::new();
        // Per example: intent, (feature id, count) pairs.
        let mut raw: Vec<(u32, Vec<(u32, u32)>)> = Vec::with_capacity(examples.len());
        for (intent, text) in examples {
            let Some(&intent) = intent_index.get(intent.as_str()) else {
                continue;
            };
            let mut ids: Vec<u32> = settings
                .analyzer
                .features(text)
                .into_iter()
                .map(|feature| {
                    let next = vocabulary.len() as u32;
                    let id = *vocabulary.entry(feature).or_insert(next);
                    if id as usize == document_frequency.len() {
                        document_frequency.push(0);
                        blocks.push(block(feature));
                    }
                    id
                })
                .collect();
            let counts = run_lengths(&mut ids);
            for (id, _) in &counts {
                document_frequency[*id as usize] += 1;
            }
            raw.push((intent, counts));
        }
        // Feature ids by falling document frequency: the features many examples share sit
        // together at the front of every weight vector, so training (which reads and writes
        // weights at an example's features) and matching mostly hit the cache.
        let mut order: Vec<u32> = (0..document_frequency.len() as u32).collect();
        order.sort_by_key(|&id| (std::cmp::Reverse(document_frequency[id as usize]), id));
        let mut renumbered = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        for id in vocabulary.values_mut() {
            *id = renumbered[*id as usize];
        }
        for (_, counts) in &mut raw {
            for (id, _) in counts.iter_mut() {
                *id = renumbered[*id as usize];
            }
        }
        let document_frequency: Vec<u32> = order
            .iter()
            .map(|&old| document_frequency[old as usize])
            .collect();
        let blocks: Vec<Block> = order.iter().map(|&old| blocks[old as usize]).collect();
        let n = raw.len() as f32;
        let idf: Vec<f32> = document_frequency
            .iter()
            .map(|&df| ((n + 1.0) / (df as f32 + 1.0)).ln() + 1.0)
            .collect();
        let labelled: Vec<(SparseVector, u32)> = raw
            .into_iter()
            .map(|(intent, counts)| (weigh(counts.into_iter(), &idf, &blocks, [0.0; 2]), intent))
            .collect();
        let refs: Vec<(&SparseVector, u32)> = labelled.iter().map(|(x, y)| (x, *y)).collect();
        let training = settings.training;
        let classes = intents.len();
        let features = idf.len();
        let (model, duals) = Linear::train_from(&refs, classes, features, training, None);
        let start = settings.calibrate.warm_start.then_some(&duals);
        let calibration = calibrate(
            &refs,
            classes,
            features,
            training,
            settings.calibrate,
            start,
        );
        Matcher {
            intents: intents.to_vec(),
            vocabulary,
            idf,
            blocks,
            examples: labelled.len(),
            model,
            calibration,
            settings,
        }
    }

    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    pub fn example_count(&self) -> usize {
        self.examples
    }

    /// Whether the store's examples have this feature (e.g. a word of `features::words`).
    pub fn knows(&self, feature: Feature) -> bool {
        self.vocabulary.contains_key(&feature)
    }

    /// The query's TF-IDF vector over the store's vocabulary. Features the store has never
    /// seen count in the norm (with the rarest weight) though they match nothing: a message
    /// mostly made of unknown words cannot look like an example because of one shared word.
    fn vectorize(&self, text: &str) -> SparseVector {
        let features = self.settings.analyzer.features(text);
        let mut known: Vec<u32> = Vec::with_capacity(features.len());
        let mut unknown: Vec<Feature> = Vec::with_capacity(features.len());
        for feature in features {
            match self.vocabulary.get(&feature) {
                Some(&id) => known.push(id),
                None => unknown.push(feature),
            }
        }
        let unseen_idf = ((self.examples as f32) + 1.0).ln() + 1.0;
        let mut unknown_mass = [0.0f32; 2];
        for (feature, tf) in run_lengths(&mut unknown) {
            unknown_mass[block(feature) as usize] +=
                ((1.0 + (tf as f32).ln()) * unseen_idf).powi(2);
        }
        weigh(
            run_lengths(&mut known).into_iter(),
            &self.idf,
            &self.blocks,
            unknown_mass,
        )
    }

    /// Cosine similarity of two texts in this store's TF-IDF space (for explanations, e.g.
    /// which example a message is closest to; not on the per-message path).
    pub fn similarity(&self, a: &str, b: &str) -> f32 {
        let (a, b) = (self.vectorize(a), self.vectorize(b));
        let mut dot = 0.0;
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot
    }

    /// How many of the labelled `(intent, text)` pairs have their intent ranked first
    /// (whatever the confidence): the top-1 hits the accuracy figures count.
    pub fn top1_hits(&self, labelled: &[(String, String)]) -> usize {
        labelled
            .iter()
            .filter(|(intent, text)| {
                self.classify(text, 0.0).ranked.first().map(|s| &s.intent) == Some(intent)
            })
            .count()
    }

    /// Scores every intent for `text` and decides, with `threshold` on the confidence.
    pub fn classify(&self, text: &str, threshold: f32) -> Match {
        let query = self.vectorize(text);
        let decisions = self.model.decide(&query);
        let order = top_indices(&decisions, 3);
        let ranked: Vec<Scored> = order
            .iter()
            .map(|&i| Scored {
                intent: self.intents[i].clone(),
                score: decisions[i],
            })
            .collect();
        let confidence = match (query.is_empty(), order.as_slice()) {
            (false, [best, second, ..]) => self
                .calibration
                .probability(decisions[*best], decisions[*best] - decisions[*second]),
            (false, [best]) => self
                .calibration
                .probability(decisions[*best], decisions[*best]),
            _ => 0.0,
        };
        let intent = ranked
            .first()
            .filter(|_| confidence >= threshold)
            .map(|s| s.intent.clone());
        Match {
            intent,
            confidence,
            ranked,
        }
    }
}

/// Cross-validation: each fold's examples are decided by a model trained on the other folds.
/// Each of their best intents gives a sample "decision, lead over the best other intent → was
/// it the right intent?"; a logistic fit of those is the confidence. The many wrong intents
/// teach it what a low decision means, so text unlike every example gets a low confidence.
fn calibrate(
    examples: &[(&SparseVector, u32)],
    classes: usize,
    features: usize,
    training: Training,
    how: Calibrate,
    start: Option<&Duals>,
) -> Calibration {
    let folds = how.folds.max(2);
    if classes < 2 || examples.len() < 2 * folds {
        return Calibration::UNFITTED;
    }
    let mut samples: Vec<([f32; 2], f32)> = Vec::new();
    let mut held_out = 0;
    let training = Training {
        tolerance: how.tolerance.unwrap_or(training.tolerance),
        ..training
    };
    for fold in 0..folds {
        if held_out >= how.max_held_out {
            break;
        }
        let train: Vec<(&SparseVector, u32)> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, e)| *e)
            .collect();
        let start = start.map(|duals| duals.restrict(|i| i % folds != fold));
        let (model, _) = Linear::train_from(&train, classes, features, training, start.as_ref());
        for (i, (x, label)) in examples.iter().enumerate() {
            if i % folds == fold {
                add_samples(&model.decide(x), *label, &mut samples);
                held_out += 1;
            }
        }
    }
    Calibration::fit(&samples)
}

/// Calibration samples of one held-out example: for each of its best intents, "decision,
/// lead over the best other intent → was it the right intent?".
fn add_samples(decisions: &[f32], label: u32, samples: &mut Vec<([f32; 2], f32)>) {
    let ranked = top_indices(decisions, CALIBRATION_CANDIDATES.min(decisions.len()));
    for (rank, &intent) in ranked.iter().enumerate() {
        let best_other = if rank == 0 { ranked[1] } else { ranked[0] };
        let lead = decisions[intent] - decisions[best_other];
        let correct = intent as u32 == label;
        samples.push(([decisions[intent], lead], if correct { 1.0 } else { 0.0 }));
    }
}

/// Sublinear TF times IDF, L2-normalised; `unknown_mass` (per block) adds to the squared
/// norm. The squares are summed per block (words, characters), then the two sums added: the
/// order of additions every figure in docs/ACCURACY.md was measured with.
fn weigh(
    counts: impl Iterator<Item = (u32, u32)>,
    idf: &[f32],
    blocks: &[Block],
    unknown_mass: [f32; 2],
) -> SparseVector {
    let mut vector: SparseVector = counts
        .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * idf[id as usize]))
        .collect();
    vector.sort_unstable_by_key(|(id, _)| *id);
    let mut mass = unknown_mass;
    for (id, w) in &vector {
        mass[blocks[*id as usize] as usize] += w * w;
    }
    let norm = (mass[0] + mass[1]).sqrt();
    let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
    for (_, w) in &mut vector {
        *w *= scale;
    }
    vector
}

/// `(value, how many times)` of `values`, sorted by value.
fn run_lengths<T: Ord + Copy>(values: &mut [T]) -> Vec<(T, u32)> {
    values.sort_unstable();
    let mut out: Vec<(T, u32)> = Vec::with_capacity(values.len());
    for &v in values.iter() {
        match out.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => out.push((v, 1)),
        }
    }
    out
}

/// The indices of the `k` highest scores, highest first (the lower index first among equal
/// scores). A selection, not a sort: it runs on every message over all of a store's intents.
fn top_indices(scores: &[f32], k: usize) -> Vec<usize> {
    let mut top: Vec<usize> = Vec::with_capacity(k + 1);
    for (i, score) in scores.iter().enumerate() {
        // Later indices rank after earlier ones with the same score.
        let place = top
            .iter()
            .position(|&j| score.total_cmp(&scores[j]).is_gt())
            .unwrap_or(top.len());
        if place < k {
            top.insert(place, i);
            top.truncate(k);
        }
    }
    top
}

/// `P(correct) = σ(w₀ + w₁·score + w₂·margin)`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Calibration {
    weights: [f32; 3],
}

impl Calibration {
    /// Used while a store is too small to fit: a plain sigmoid of the score.
    const UNFITTED: Calibration = Calibration {
        weights: [-4.0, 10.0, 0.0],
    };

    fn probability(&self, score: f32, margin: f32) -> f32 {
        let [w0, w1, w2] = self.weights;
        let p = 1.0 / (1.0 + (-(w0 + w1 * score + w2 * margin)).exp());
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Logistic regression by Newton's method (three weights: a 3×3 solve per step), with a
    /// little L2 so separable samples still give finite weights.
    fn fit(samples: &[([f32; 2], f32)]) -> Calibration {
        const RIDGE: f64 = 1e-2;
        let mut w = [0.0f64; 3];
        for _ in 0..25 {
            let mut gradient = [0.0f64; 3];
            let mut hessian = [[0.0f64; 3]; 3];
            for ([score, lead], y) in samples {
                let x = [1.0, f64::from(*score), f64::from(*lead)];
                let z = w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
                let p = 1.0 / (1.0 + (-z).exp());
                let weight = (p * (1.0 - p)).max(1e-9);
                for i in 0..3 {
                    gradient[i] += (p - f64::from(*y)) * x[i];
                    for j in 0..3 {
                        hessian[i][j] += weight * x[i] * x[j];
                    }
                }
            }
            for i in 1..3 {
                gradient[i] += RIDGE * w[i];
                hessian[i][i] += RIDGE;
            }
            let Some(step) = solve3(hessian, gradient) else {
                break;
            };
            for i in 0..3 {
                w[i] -= step[i];
            }
            if step.iter().all(|s| s.abs() < 1e-6) {
                break;
            }
        }
        if w.iter().all(|v| v.is_finite()) {
            Calibration {
                weights: [w[0] as f32, w[1] as f32, w[2] as f32],
            }
        } else {
            Calibration::UNFITTED
        }
    }
}

/// Solves `a·x = b` for a 3×3 system by Cramer's rule; `None` when singular.
fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(a);
    if d.abs() < 1e-12 {
        return None;
    }
    let mut x = [0.0; 3];
    for (col, out) in x.iter_mut().enumerate() {
        let mut m = a;
        for row in 0..3 {
            m[row][col] = b[row];
        }
        *out = det(m) / d;
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_indices_are_the_highest_scores_in_order_ties_to_the_lower_index() {
        let scores = [0.1, 0.9, -2.0, 0.9, 0.5, f32::NEG_INFINITY];
        assert_eq!(top_indices(&scores, 3), vec![1, 3, 4]);
        assert_eq!(top_indices(&scores, 1), vec![1]);
        assert_eq!(top_indices(&scores, 0), Vec::<usize>::new());
        assert_eq!(top_indices(&scores, 10), vec![1, 3, 4, 0, 2, 5]);
        assert_eq!(top_indices(&[], 3), Vec::<usize>::new());
    }

    /// (intent, text) pairs as a store's examples.
    fn labelled(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(i, t)| (i.to_string(), t.to_string()))
            .collect()
    }

    /// The small store most tests use: three intents, five examples each.
    fn examples() -> Vec<(String, String)> {
        labelled(&[
            ("order_status", "where is my order"),
            ("order_status", "track my package"),
            ("order_status", "my parcel has not arrived"),
            ("order_status", "status of my order please"),
            ("order_status", "when will my delivery arrive"),
            ("return_item", "I want to return an item"),
            ("return_item", "how do I send this back"),
            ("return_item", "return policy"),
            ("return_item", "can I return my shoes"),
            ("return_item", "start a return"),
            ("greeting", "hello"),
            ("greeting", "hi there"),
            ("greeting", "good morning"),
            ("greeting", "hey"),
            ("greeting", "hello, anyone there?"),
        ])
    }

    fn matcher() -> Matcher {
        let intents: Vec<String> = ["order_status", "return_item", "greeting"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        Matcher::build(&intents, &examples())
    }

    #[test]
    fn finds_the_intent_of_a_paraphrase() {
        let m = matcher().classify("where is my parcel?", 0.0);
        assert_eq!(m.intent.as_deref(), Some("order_status"));
        assert_eq!(m.ranked.len(), 3);
        assert!(m.ranked[0].score > m.ranked[1].score);
    }

    #[test]
    fn similarity_is_highest_for_the_closest_text() {
        let m = matcher();
        let close = m.similarity("where is my parcel", "where is my order");
        let far = m.similarity("where is my parcel", "good morning");
        assert!(close > far && close <= 1.0001, "{close} {far}");
    }

    #[test]
    fn tolerates_typos() {
        let m = matcher().classify("i want to retrun an itme", 0.0);
        assert_eq!(m.intent.as_deref(), Some("return_item"));
    }

    #[test]
    fn unrelated_text_has_lower_confidence_than_a_paraphrase() {
        let matcher = matcher();
        let known = matcher.classify("where is my order", 0.5);
        let unknown = matcher.classify("quantum chromodynamics lecture notes", 0.5);
        assert_eq!(known.intent.as_deref(), Some("order_status"));
        assert!(
            known.confidence > unknown.confidence + 0.3,
            "{known:?} {unknown:?}"
        );
        assert_eq!(matcher.classify("!!!", 0.5).confidence, 0.0);
    }

    #[test]
    fn confidence_is_a_probability() {
        let matcher = matcher();
        for text in [
            "hello",
            "return",
            "where",
            "zzz",
            "hello where is my order return",
        ] {
            let c = matcher.classify(text, 0.0).confidence;
            assert!((0.0..=1.0).contains(&c), "{text}: {c}");
        }
    }

    #[test]
    fn unspaced_scripts_match_on_characters() {
        let intents = vec!["order_status".to_string(), "return_item".to_string()];
        let examples = labelled(&[
            ("order_status", "我的订单在哪里"),
            ("order_status", "查一下订单状态"),
            ("order_status", "包裹什么时候到"),
            ("return_item", "我想退货"),
            ("return_item", "怎么退货"),
            ("return_item", "这个可以退吗"),
        ]);
        let m = Matcher::build(&intents, &examples);
        assert_eq!(
            m.classify("我的订单到哪了", 0.0).intent.as_deref(),
            Some("order_status")
        );
        assert_eq!(
            m.classify("我要退货", 0.0).intent.as_deref(),
            Some("return_item")
        );
    }

    #[test]
    fn the_baseline_settings_build_a_working_matcher_too() {
        let m = matcher();
        let examples = labelled(&[
            ("order_status", "where is my order"),
            ("order_status", "track my package"),
            ("return_item", "I want to return an item"),
            ("return_item", "start a return"),
            ("greeting", "hello"),
            ("greeting", "hi there"),
        ]);
        let baseline = Matcher::build_with(m.intents(), &examples, Settings::baseline());
        assert_eq!(
            baseline.classify("track my order", 0.0).intent.as_deref(),
            Some("order_status")
        );
    }
}
