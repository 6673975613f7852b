//! The intent matcher of one locale: TF-IDF over [`features`], scored against every example
//! (nearest neighbour) and every intent's centroid, with a confidence calibrated on the store's
//! own examples by leave-one-out.

use std::collections::HashMap;

use super::features::{features, Feature};

/// Weight of the nearest example against the intent's centroid in an intent's score.
const NEAREST_WEIGHT: f32 = 0.5;
/// At most this many examples are used to fit the calibration (keeps a reload fast).
const CALIBRATION_SAMPLE: usize = 3000;
/// Intents per left-out example that give calibration samples (the rest score near zero).
const CALIBRATION_CANDIDATES: usize = 5;

/// One scored intent.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub intent: String,
    /// Raw similarity, 0..1.
    pub score: f32,
}

/// The matcher's answer for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The intent, or `None` when the confidence is below the threshold (the fallback).
    pub intent: Option<String>,
    /// Calibrated probability that the best intent is right, 0..1.
    pub confidence: f32,
    /// The best intents by raw score, best first (at most three).
    pub ranked: Vec<Scored>,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    intents: Vec<String>,
    vocabulary: HashMap<Feature, u32>,
    idf: Vec<f32>,
    /// feature → (example, weight) of L2-normalised example vectors.
    example_postings: Vec<Vec<(u32, f32)>>,
    example_intent: Vec<u32>,
    /// feature → (intent, weight) of the unnormalised sums of each intent's example vectors.
    centroid_postings: Vec<Vec<(u32, f32)>>,
    centroid_norm: Vec<f32>,
    calibration: Calibration,
}

type SparseVector = Vec<(u32, f32)>;

impl Matcher {
    /// Builds a matcher from `(intent, example text)` pairs. Intents are listed in `intents`;
    /// an example naming another intent is a bug of the caller and is skipped.
    pub fn build(intents: &[String], examples: &[(String, String)]) -> Matcher {
        let intent_index: HashMap<&str, u32> = intents
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i as u32))
            .collect();
        let mut vocabulary: HashMap<Feature, u32> = HashMap::new();
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

        let mut example_postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); idf.len()];
        let mut centroid_sum: Vec<HashMap<u32, f32>> = vec![HashMap::new(); intents.len()];
        let mut example_intent = Vec::with_capacity(raw.len());
        let mut vectors: Vec<SparseVector> = Vec::with_capacity(raw.len());
        for (index, (intent, counts)) in raw.into_iter().enumerate() {
            let vector = weigh(counts.into_iter(), &idf);
            for &(id, w) in &vector {
                example_postings[id as usize].push((index as u32, w));
                *centroid_sum[intent as usize].entry(id).or_insert(0.0) += w;
            }
            example_intent.push(intent);
            vectors.push(vector);
        }
        let mut centroid_postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); idf.len()];
        let mut centroid_norm = vec![0.0f32; intents.len()];
        for (intent, sum) in centroid_sum.iter().enumerate() {
            centroid_norm[intent] = sum.values().map(|w| w * w).sum::<f32>().sqrt();
            for (&id, &w) in sum {
                centroid_postings[id as usize].push((intent as u32, w));
            }
        }
        let mut matcher = Matcher {
            intents: intents.to_vec(),
            vocabulary,
            idf,
            example_postings,
            example_intent,
            centroid_postings,
            centroid_norm,
            calibration: Calibration::UNFITTED,
        };
        matcher.calibration = matcher.fit_calibration(&vectors);
        matcher
    }

    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    pub fn example_count(&self) -> usize {
        self.example_intent.len()
    }

    /// The query's TF-IDF vector over the store's vocabulary. Features the store has never
    /// seen count in the norm (with the rarest weight) though they match nothing: a message
    /// mostly made of unknown words cannot look like an example because of one shared word.
    fn vectorize(&self, text: &str) -> SparseVector {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        let mut unknown: HashMap<Feature, u32> = HashMap::new();
        for feature in features(text) {
            match self.vocabulary.get(&feature) {
                Some(&id) => *counts.entry(id).or_insert(0) += 1,
                None => *unknown.entry(feature).or_insert(0) += 1,
            }
        }
        let mut vector: SparseVector = counts
            .into_iter()
            .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * self.idf[id as usize]))
            .collect();
        let unseen_idf = ((self.example_intent.len() as f32) + 1.0).ln() + 1.0;
        let unknown_mass: f32 = unknown
            .values()
            .map(|&tf| ((1.0 + (tf as f32).ln()) * unseen_idf).powi(2))
            .sum();
        let norm = (vector.iter().map(|(_, w)| w * w).sum::<f32>() + unknown_mass).sqrt();
        if norm > 0.0 {
            for (_, w) in &mut vector {
                *w /= norm;
            }
        }
        vector
    }

    /// Intent scores for a vector; `leave_out` removes one example (for calibration).
    fn intent_scores(&self, query: &SparseVector, leave_out: Option<u32>) -> Vec<f32> {
        let mut example_sim = vec![0.0f32; self.example_intent.len()];
        let mut centroid_dot = vec![0.0f32; self.intents.len()];
        for &(id, qw) in query {
            for &(example, w) in &self.example_postings[id as usize] {
                example_sim[example as usize] += qw * w;
            }
            for &(intent, w) in &self.centroid_postings[id as usize] {
                centroid_dot[intent as usize] += qw * w;
            }
        }
        let mut nearest = vec![0.0f32; self.intents.len()];
        for (example, &sim) in example_sim.iter().enumerate() {
            if Some(example as u32) == leave_out {
                continue;
            }
            let intent = self.example_intent[example] as usize;
            if sim > nearest[intent] {
                nearest[intent] = sim;
            }
        }
        let mut scores = vec![0.0f32; self.intents.len()];
        for intent in 0..self.intents.len() {
            let (mut dot, mut norm_sq) = (centroid_dot[intent], self.centroid_norm[intent].powi(2));
            if let Some(left) = leave_out {
                if self.example_intent[left as usize] as usize == intent {
                    // Remove the left-out (unit) vector from the centroid sum.
                    // |sum - e|² = |sum|² - 2·sum·e + |e|², and e·e is its own similarity.
                    let self_dot = example_sim[left as usize];
                    norm_sq = norm_sq - 2.0 * dot + self_dot;
                    dot -= self_dot;
                }
            }
            let centroid = if norm_sq > 1e-9 {
                dot / norm_sq.sqrt()
            } else {
                0.0
            };
            scores[intent] =
                NEAREST_WEIGHT * nearest[intent] + (1.0 - NEAREST_WEIGHT) * centroid.max(0.0);
        }
        scores
    }

    /// Scores every intent for `text` and decides, with `threshold` on the confidence.
    pub fn classify(&self, text: &str, threshold: f32) -> Match {
        let query = self.vectorize(text);
        let scores = self.intent_scores(&query, None);
        let ranked = top(&scores, &self.intents, 3);
        let (best, second) = (
            ranked.first().map_or(0.0, |s| s.score),
            ranked.get(1).map_or(0.0, |s| s.score),
        );
        let confidence = if query.is_empty() {
            0.0
        } else {
            self.calibration.probability(best, best - second)
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

    /// Leave-one-out over (a sample of) the examples. For each left-out example, each of its
    /// best intents gives a sample "score, lead over the best other intent → was it the right
    /// intent?"; a logistic fit of those is the confidence. The many wrong intents teach it
    /// what a low score means, so text unlike every example gets a low confidence.
    fn fit_calibration(&self, vectors: &[SparseVector]) -> Calibration {
        if self.intents.len() < 2 || vectors.len() < 4 {
            return Calibration::UNFITTED;
        }
        let step = vectors.len().div_ceil(CALIBRATION_SAMPLE).max(1);
        let mut samples: Vec<([f32; 2], f32)> = Vec::new();
        for index in (0..vectors.len()).step_by(step) {
            let scores = self.intent_scores(&vectors[index], Some(index as u32));
            let ranked = top_indices(&scores, CALIBRATION_CANDIDATES.min(scores.len()));
            for (rank, &intent) in ranked.iter().enumerate() {
                let best_other = if rank == 0 { ranked[1] } else { ranked[0] };
                let lead = scores[intent] - scores[best_other];
                let correct = intent as u32 == self.example_intent[index];
                samples.push(([scores[intent], lead], if correct { 1.0 } else { 0.0 }));
            }
        }
        Calibration::fit(&samples)
    }
}

fn weigh(counts: impl Iterator<Item = (u32, u32)>, idf: &[f32]) -> SparseVector {
    let mut vector: SparseVector = counts
        .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * idf[id as usize]))
        .collect();
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
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

fn top(scores: &[f32], intents: &[String], k: usize) -> Vec<Scored> {
    top_indices(scores, k)
        .into_iter()
        .map(|i| Scored {
            intent: intents[i].clone(),
            score: scores[i].clamp(0.0, 1.0),
        })
        .collect()
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
