/// NAME_main.c: a command-line driver for the generated C, so the code can be checked against
/// `ccelim jacobian` without writing any C. It reads an inputs file in `ccelim jacobian --inputs`
/// format and prints one JSON object with `outputs` and `jacobian` (sample 0) laid out as
/// `ccelim jacobian --json` prints them, plus `samples` when the file holds several.
enum CDriver {
    static func source(_ layout: CodegenLayout) -> String {
        let n = layout.name
        let maxRank = max(
            1,
            (layout.compiled.outputShapes.map(\.count).max() ?? 0)
                + (layout.compiled.inputShapes.map(\.count).max() ?? 0))
        return CEmitter.comment(layout.provenance + ["Driver: \(n)_main INPUTS.json [--float32]"]) + """
            #include "\(n).h"

            #include <math.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>

            static void fail(const char *message, const char *detail) {
                fprintf(stderr, "error: %s%s\\n", message, detail);
                exit(1);
            }

            /* Every number of a `ccelim jacobian --inputs` file in order: one nested array per input, or
               {"samples": [[...per input...], ...]}. The strings "NaN", "Infinity" and "-Infinity" are
               numbers. Only the count of numbers is checked, not the nesting. */
            static double *read_numbers(const char *path, size_t *count, int *samples) {
                FILE *file = fopen(path, "rb");
                if (!file) fail("cannot read the inputs file ", path);
                size_t capacity = 1 << 16, length = 0;
                char *text = malloc(capacity + 1);
                size_t got;
                while (text && (got = fread(text + length, 1, capacity - length, file)) > 0) {
                    length += got;
                    if (length == capacity) text = realloc(text, (capacity *= 2) + 1);
                }
                fclose(file);
                if (!text) fail("out of memory reading ", path);
                text[length] = 0;
                size_t cap = 64, n = 0;
                double *values = malloc(cap * sizeof *values);
                *samples = 0;
                for (char *p = text; *p;) {
                    double v;
                    if (*p == '"') {
                        char *end = strchr(p + 1, '"');
                        if (!end) fail("unterminated string in ", path);
                        size_t len = (size_t)(end - p - 1);
                        if (len == 3 && !strncmp(p + 1, "NaN", 3)) v = NAN;
                        else if (len == 8 && !strncmp(p + 1, "Infinity", 8)) v = INFINITY;
                        else if (len == 9 && !strncmp(p + 1, "-Infinity", 9)) v = -INFINITY;
                        else if (len == 7 && !strncmp(p + 1, "samples", 7)) { *samples = 1; p = end + 1; continue; }
                        else fail("unexpected string (only \\"samples\\", \\"NaN\\", \\"Infinity\\", \\"-Infinity\\") in ", path);
                        p = end + 1;
                    } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
                        char *end;
                        v = strtod(p, &end);
                        if (end == p) fail("malformed number in ", path);
                        p = end;
                    } else if (strchr("[]{},: \\t\\r\\n", *p)) {
                        p++;
                        continue;
                    } else {
                        fail("unexpected character (expected numbers in nested arrays) in ", path);
                    }
                    if (n == cap) values = realloc(values, (cap *= 2) * sizeof *values);
                    if (!values) fail("out of memory reading ", path);
                    values[n++] = v;
                }
                free(text);
                *count = n;
                return values;
            }

            static void print_number(double x, int single) {
                if (isnan(x)) printf("\\"NaN\\"");
                else if (isinf(x)) printf(x > 0 ? "\\"Infinity\\"" : "\\"-Infinity\\"");
                else printf(single ? "%.9g" : "%.17g", x);
            }

            /* The nested array of `rank` dims starting at element `first` (stride `batch`, sample b). */
            static void print_nested(const double *data, size_t batch, size_t b, size_t first, const size_t *dims, int rank,
                                     int single) {
                if (rank == 0) {
                    print_number(data[first * batch + b], single);
                    return;
                }
                size_t stride = 1;
                for (int d = 1; d < rank; d++) stride *= dims[d];
                printf("[");
                for (size_t i = 0; i < dims[0]; i++) {
                    if (i) printf(", ");
                    print_nested(data, batch, b, first + i * stride, dims + 1, rank - 1, single);
                }
                printf("]");
            }

            static void print_sample(double **outputs, double **blocks, size_t batch, size_t b, int single) {
                size_t dims[\(maxRank)];
                printf("\\"outputs\\": [");
                const size_t *out_dims = \(n)_OUTPUT_DIMS;
                for (int o = 0; o < \(n)_OUTPUTS; o++) {
                    if (o) printf(", ");
                    print_nested(outputs[o], batch, b, 0, out_dims, \(n)_OUTPUT_RANK[o], single);
                    out_dims += \(n)_OUTPUT_RANK[o];
                }
                printf("], \\"jacobian\\": [");
                out_dims = \(n)_OUTPUT_DIMS;
                for (int o = 0; o < \(n)_OUTPUTS; o++) {
                    if (o) printf(", ");
                    printf("[");
                    const size_t *in_dims = \(n)_INPUT_DIMS;
                    for (int k = 0; k < \(n)_INPUTS; k++) {
                        if (k) printf(", ");
                        int rank = \(n)_OUTPUT_RANK[o] + \(n)_INPUT_RANK[k];
                        memcpy(dims, out_dims, \(n)_OUTPUT_RANK[o] * sizeof *dims);
                        memcpy(dims + \(n)_OUTPUT_RANK[o], in_dims, \(n)_INPUT_RANK[k] * sizeof *dims);
                        print_nested(blocks[o * \(n)_INPUTS + k], batch, b, 0, dims, rank, single);
                        in_dims += \(n)_INPUT_RANK[k];
                    }
                    printf("]");
                    out_dims += \(n)_OUTPUT_RANK[o];
                }
                printf("]");
            }

            int main(int argc, char **argv) {
                int single = argc == 3 && !strcmp(argv[2], "--float32");
                if (argc < 2 || (argc == 3 && !single) || argc > 3) {
                    fprintf(stderr, "usage: %s INPUTS.json [--float32]\\n", argv[0]);
                    return 2;
                }
                size_t count, per_sample = 0;
                int samples;
                double *values = read_numbers(argv[1], &count, &samples);
                for (int k = 0; k < \(n)_INPUTS; k++) per_sample += \(n)_INPUT_SIZE[k];
                size_t batch = per_sample ? count / per_sample : 0;
                if (!samples && count != per_sample) {
                    fprintf(stderr, "error: %s: the program takes %zu input values per sample, the file gives %zu\\n", argv[1],
                            per_sample, count);
                    return 1;
                }
                if (samples && (batch == 0 || batch * per_sample != count)) {
                    fprintf(stderr, "error: %s: %zu values are not a whole number of samples of %zu values\\n", argv[1], count,
                            per_sample);
                    return 1;
                }
                /* Sample-major in the file, element-major (structure of arrays) for the entry points. */
                double *inputs[\(n)_INPUTS], *outputs[\(n)_OUTPUTS], *blocks[\(n)_OUTPUTS * \(n)_INPUTS];
                float *inputs32[\(n)_INPUTS], *outputs32[\(n)_OUTPUTS], *blocks32[\(n)_OUTPUTS * \(n)_INPUTS];
                size_t offset = 0;
                for (int k = 0; k < \(n)_INPUTS; k++) {
                    inputs[k] = malloc((\(n)_INPUT_SIZE[k] * batch + 1) * sizeof(double));
                    inputs32[k] = malloc((\(n)_INPUT_SIZE[k] * batch + 1) * sizeof(float));
                    for (size_t b = 0; b < batch; b++)
                        for (size_t e = 0; e < \(n)_INPUT_SIZE[k]; e++) {
                            inputs[k][e * batch + b] = values[b * per_sample + offset + e];
                            inputs32[k][e * batch + b] = (float)inputs[k][e * batch + b];
                        }
                    offset += \(n)_INPUT_SIZE[k];
                }
                for (int o = 0; o < \(n)_OUTPUTS; o++) {
                    outputs[o] = malloc((\(n)_OUTPUT_SIZE[o] * batch + 1) * sizeof(double));
                    outputs32[o] = malloc((\(n)_OUTPUT_SIZE[o] * batch + 1) * sizeof(float));
                    for (int k = 0; k < \(n)_INPUTS; k++) {
                        size_t size = \(n)_OUTPUT_SIZE[o] * \(n)_INPUT_SIZE[k] * batch + 1;
                        blocks[o * \(n)_INPUTS + k] = malloc(size * sizeof(double));
                        blocks32[o * \(n)_INPUTS + k] = malloc(size * sizeof(float));
                    }
                }
                int status = single ? \(n)_jacobian_f32(batch, (const float *const *)inputs32, outputs32, blocks32)
                                    : \(n)_jacobian_f64(batch, (const double *const *)inputs, outputs, blocks);
                if (status) fail("out of memory for the arena", "");
                if (single) {
                    for (int o = 0; o < \(n)_OUTPUTS; o++) {
                        for (size_t i = 0; i < \(n)_OUTPUT_SIZE[o] * batch; i++) outputs[o][i] = outputs32[o][i];
                        for (int k = 0; k < \(n)_INPUTS; k++)
                            for (size_t i = 0; i < \(n)_OUTPUT_SIZE[o] * \(n)_INPUT_SIZE[k] * batch; i++)
                                blocks[o * \(n)_INPUTS + k][i] = blocks32[o * \(n)_INPUTS + k][i];
                    }
                }
                printf("{\\"task\\": \\"\(n)\\", \\"precision\\": \\"%s\\", \\"batch\\": %zu, ", single ? "float32" : "float64", batch);
                print_sample(outputs, blocks, batch, 0, single);
                if (batch > 1) {
                    printf(", \\"samples\\": [");
                    for (size_t b = 0; b < batch; b++) {
                        printf(b ? ", {" : "{");
                        print_sample(outputs, blocks, batch, b, single);
                        printf("}");
                    }
                    printf("]");
                }
                printf("}\\n");
                return 0;
            }

            """
    }
}
