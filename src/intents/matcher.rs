//! The intent matcher of one locale: TF-IDF over [`features`], one-vs-rest linear SVMs
//! ([`Linear`]) over it, and a confidence calibrated on cross-validated decisions of the
//! store's own examples (Platt scaling).

use std::collections::HashMap;

use super::features::{features, Feature};
use super::linear::{Linear, SparseVector, Training};

/// Folds of the cross-validation that calibrates the confidence.
const CALIBRATION_FOLDS: usize = 4;
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

/// Features are FNV hashes already: the vocabulary only spreads their bits (one multiply)
/// instead of hashing them again with SipHash on every lookup.
#[derive(Default, Clone, Copy)]
pub struct FeatureHasher(u64);

impl std::hash::Hasher for FeatureHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(32)
    }
}

type Vocabulary = HashMap<Feature, u32, std::hash::BuildHasherDefault<FeatureHasher>>;

#[derive(Debug, Clone)]
pub struct Matcher {
    intents: Vec<String>,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
    examples: usize,
    model: Linear,
    calibration: Calibration,
}

impl Matcher {
    /// Builds a matcher from `(intent, example text)` pairs. Intents are listed in `intents`;
    /// an example naming another intent is a bug of the caller and is skipped.
    pub fn build(intents: &[String], examples: &[(String, String)]) -> Matcher {
        let intent_index: HashMap<&str, u32> = intents
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i as u32))
            .collect();
        let mut vocabulary = Vocabulary::default();
        let mut document_frequency: Vec<u32> = Vec::new();
        let mut raw: Vec<(u32, HashMap<u32, u32>)> = Vec::with_capacity(examples.len());
        for (intent, text) in examples {
            let Some(&intent) = intent_index.get(intent.as_str()) else {
                continue;
            };
            let mut counts: HashMap<u32, u32> = HashMap::new();
            for feature in features(text) {
                let next = vocabulary.len() as u32;
                let id = *vocabulary.entry(feature).or_insert(next);
                if id as usize == document_frequency.len() {
                    document_frequency.push(0);
                }
                *counts.entry(id).or_insert(0) += 1;
            }
            for id in counts.keys() {
                document_frequency[*id as usize] += 1;
            }
            raw.push((intent, counts));
        }
        let n = raw.len() as f32;
        let idf: Vec<f32> = document_frequency
            .iter()
            .map(|&df| ((n + 1.0) / (df as f32 + 1.0)).ln() + 1.0)
            .collect();
        let labelled: Vec<(SparseVector, u32)> = raw
            .into_iter()
            .map(|(intent, counts)| (weigh(counts.into_iter(), &idf, 0.0), intent))
            .collect();
        let refs: Vec<(&SparseVector, u32)> = labelled.iter().map(|(x, y)| (x, *y)).collect();
        let training = Training::default();
        let model = Linear::train(&refs, intents.len(), idf.len(), training);
        let calibration = calibrate(&refs, intents.len(), idf.len(), training);
        Matcher {
            intents: intents.to_vec(),
            vocabulary,
            idf,
            examples: labelled.len(),
            model,
            calibration,
        }
    }

    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    pub fn example_count(&self) -> usize {
        self.examples
    }

    /// The query's TF-IDF vector over the store's vocabulary. Features the store has never
    /// seen count in the norm (with the rarest weight) though they match nothing: a message
    /// mostly made of unknown words cannot look like an example because of one shared word.
    fn vectorize(&self, text: &str) -> SparseVector {
        // Sorted, equal features are neighbours: each run is one feature and its count, and
        // the vocabulary is asked once per distinct feature (no maps built per message).
        let mut all = features(text);
        all.sort_unstable();
        let unseen_idf = ((self.examples as f32) + 1.0).ln() + 1.0;
        let mut counts: Vec<(u32, u32)> = Vec::with_capacity(all.len());
        let mut unknown_mass = 0.0f32;
        for run in all.chunk_by(|a, b| a == b) {
            let tf = run.len() as u32;
            match self.vocabulary.get(&run[0]) {
                Some(&id) => counts.push((id, tf)),
                None => unknown_mass += ((1.0 + (tf as f32).ln()) * unseen_idf).powi(2),
            }
        }
        weigh(counts.into_iter(), &self.idf, unknown_mass)
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
) -> Calibration {
    if classes < 2 || examples.len() < 2 * CALIBRATION_FOLDS {
        return Calibration::UNFITTED;
    }
    let mut samples: Vec<([f32; 2], f32)> = Vec::new();
    for fold in 0..CALIBRATION_FOLDS {
        let train: Vec<(&SparseVector, u32)> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % CALIBRATION_FOLDS != fold)
            .map(|(_, e)| *e)
            .collect();
        let model = Linear::train(&train, classes, features, training);
        for (i, (x, label)) in examples.iter().enumerate() {
            if i % CALIBRATION_FOLDS != fold {
                continue;
            }
            let decisions = model.decide(x);
            let ranked = top_indices(&decisions, CALIBRATION_CANDIDATES.min(classes));
            for (rank, &intent) in ranked.iter().enumerate() {
                let best_other = if rank == 0 { ranked[1] } else { ranked[0] };
                let lead = decisions[intent] - decisions[best_other];
                let correct = intent as u32 == *label;
                samples.push(([decisions[intent], lead], if correct { 1.0 } else { 0.0 }));
            }
        }
    }
    Calibration::fit(&samples)
}

/// Sublinear TF times IDF, L2-normalised; `extra_mass` adds to the squared norm.
fn weigh(counts: impl Iterator<Item = (u32, u32)>, idf: &[f32], extra_mass: f32) -> SparseVector {
    let mut vector: SparseVector = counts
        .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * idf[id as usize]))
        .collect();
    vector.sort_unstable_by_key(|(id, _)| *id);
    let norm = (vector.iter().map(|(_, w)| w * w).sum::<f32>() + extra_mass).sqrt();
    if norm > 0.0 {
        for (_, w) in &mut vector {
            *w /= norm;
        }
    }
    vector
}

fn top_indices(scores: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
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

    fn matcher() -> Matcher {
        let intents: Vec<String> = ["order_status", "return_item", "greeting"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let examples = [
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
        ];
        let examples: Vec<(String, String)> = examples
            .iter()
            .map(|(i, t)| (i.to_string(), t.to_string()))
            .collect();
        Matcher::build(&intents, &examples)
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
        let examples: Vec<(String, String)> = [
            ("order_status", "我的订单在哪里"),
            ("order_status", "查一下订单状态"),
            ("order_status", "包裹什么时候到"),
            ("return_item", "我想退货"),
            ("return_item", "怎么退货"),
            ("return_item", "这个可以退吗"),
        ]
        .iter()
        .map(|(i, t)| (i.to_string(), t.to_string()))
        .collect();
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
}
