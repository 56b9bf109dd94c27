package io.jenkins.plugins.gitopsrelease.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of hostile input for {@link HostileInputTest}: mutations of YAML and JSON text, bad flag values
 * and secrets with odd bytes. Everything is a pure function of the {@link Random}, so a seed reproduces a case.
 */
final class HostileInputs {
    private HostileInputs() {
    }

    /** Characters that break parsers, paths, headers and terminals. */
    static final String[] ODD = {"\0", "\t", "\u0001", "\u001b[31m", "\r", "\n", "\r\n", "\u007f", "\u2028", "\uFEFF",
        "ä", "\uD835\uDD38", "\uD800", "{", "[", "]", "}", ":", "&", "*", "!", "%", "@", "`", "|", ">", "\"", "'", "#",
        "-", " ", "\\", "/", "..", "${", "$(", "<<", "---", "...", "?", ","};

    static <T> T pick(Random r, List<T> l) {
        return l.get(r.nextInt(l.size()));
    }

    static String pick(Random r, String... s) {
        return s[r.nextInt(s.length)];
    }

    static String odd(Random r) {
        return pick(r, ODD);
    }

    // ---- YAML ---------------------------------------------------------------------------------------------------

    /** One to three mutations of a YAML text. */
    static String mutateYaml(Random r, String text) {
        String t = text;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            t = mutateYamlOnce(r, t);
        }
        return t;
    }

    private static String mutateYamlOnce(Random r, String t) {
        int pos = t.isEmpty() ? 0 : r.nextInt(t.length() + 1);
        List<String> lines = new ArrayList<>(List.of(t.split("\n", -1)));
        int line = r.nextInt(lines.size());
        switch (r.nextInt(18)) {
            case 0:
                return t.substring(0, pos);
            case 1:
                return t.substring(0, pos) + odd(r) + t.substring(pos);
            case 2: {
                int end = Math.min(t.length(), pos + r.nextInt(40));
                return t.substring(0, pos) + t.substring(end);
            }
            case 3:
                lines.add(line, lines.get(line));
                return String.join("\n", lines);
            case 4: {
                String l = lines.get(line);
                lines.set(line, r.nextBoolean() ? "  " + l : l.replaceFirst("^ {1,2}", ""));
                return String.join("\n", lines);
            }
            case 5:
                return t + "\n" + deepBlock(r);
            case 6:
                return t.substring(0, pos) + deepFlow(r) + t.substring(pos);
            case 7:
                return aliasBomb(r) + t;
            case 8:
                return t + "\n" + pick(r, "loop: &a [*a]", "loop: &a {self: *a}", "x: &a\n  - *a", "k: *undefined",
                        "m: &m {a: 1}\nn:\n  <<: [*m, *m, *m]", "<<: *nowhere", "? &k [*k]\n: v");
            case 9: {
                String l = lines.get(line);
                int c = l.indexOf(": ");
                if (c > 0) {
                    lines.set(line, l.substring(0, c + 2) + weirdScalar(r));
                }
                return String.join("\n", lines);
            }
            case 10:
                return t + "\n---\n" + (r.nextBoolean() ? t : "") + (r.nextBoolean() ? "\n---\n" : "");
            case 11:
                return t.substring(0, pos) + pick(r, " !!python/object:os.system ", " !custom ", " !!binary ", " !!set ",
                        " !!omap ", " !<tag:yaml.org,2002:str> ", " %YAML 1.2\n", " %TAG ! tag:x\n") + t.substring(pos);
            case 12: {
                String l = lines.get(line);
                int c = l.indexOf(": ");
                if (c > 0) {
                    lines.set(line, l.substring(0, c + 2) + pick(r, "../../outside/secret.txt", "/etc/passwd",
                            "a\u0000b", "../../../../../../tmp/x", "C:\\\\x", "~/.ssh/id_rsa", "x/../../y"));
                }
                return String.join("\n", lines);
            }
            case 13:
                if (line > 0) {
                    lines.add(line, lines.get(line - 1));
                }
                return String.join("\n", lines);
            case 14:
                return t.replace("  ", "\t");
            case 15:
                return r.nextInt(20) == 0 ? t + "\nbig: " + "x".repeat(1 + r.nextInt(5_000_000)) : t + "\nlong: "
                        + "y".repeat(r.nextInt(20_000));
            case 16:
                return t.replace("name: ", "name: " + pick(r, "", "UPPER", "a_b", "-x", "x-", "a.b", "../x", "a/b",
                        "x".repeat(300), "café", "a b", "\"\"", "null", "0"));
            default: {
                StringBuilder b = new StringBuilder(t);
                for (int i = 0; i < 1 + r.nextInt(5); i++) {
                    int p = b.length() == 0 ? 0 : r.nextInt(b.length());
                    b.insert(p, (char) r.nextInt(0x80));
                }
                return b.toString();
            }
        }
    }

    static String deepBlock(Random r) {
        int depth = pick(r, List.of(50, 199, 201, 400, 3_000));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            // Indentation capped: past a few hundred levels the nesting limit has long been hit.
            b.append(" ".repeat(Math.min(i, 300))).append(r.nextBoolean() ? "k:" : "-").append('\n');
        }
        return b.toString();
    }

    static String deepFlow(Random r) {
        int depth = pick(r, List.of(150, 201, 1_000, 10_000, 100_000));
        String open = r.nextBoolean() ? "[" : "{a: ";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + (r.nextBoolean() ? close.repeat(depth) : "");
    }

    static String aliasBomb(Random r) {
        StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        int levels = 3 + r.nextInt(8);
        for (int i = 1; i <= levels; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        return b.toString();
    }

    static String weirdScalar(Random r) {
        return pick(r, "99999999999999999999999999", "-1", "0x7fffffffffffffff", ".inf", ".nan", "~", "null", "yes",
                "[]", "{}", "\"\"", "''", "2026-12-03T00:00:00Z", "1e400", "0o777", "!!binary aGVsbG8=", "|\n  x",
                ">\n  y", "&anchor v", "*undefined", "\"\\u0000\"", "\"\\x00\"", "'" + "z".repeat(10_000) + "'",
                "[" + "1,".repeat(1000) + "1]");
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    static String mutateJson(Random r, String json) {
        int pos = json.isEmpty() ? 0 : r.nextInt(json.length() + 1);
        switch (r.nextInt(10)) {
            case 0:
                return json.substring(0, pos);
            case 1:
                return json.substring(0, pos) + odd(r) + json.substring(pos);
            case 2:
                return "[".repeat(pick(r, List.of(100, 1_001, 50_000))) + json;
            case 3:
                return "{\"builds\":" + "[".repeat(pick(r, List.of(199, 201, 5_000))) + "]".repeat(10) + "}";
            case 4:
                return json.replaceFirst("\"tag\":\"[^\"]*\"", "\"tag\":" + pick(r, "1e99999", "123456789012345678901234567890",
                        "null", "[]", "{}", "true", "\"" + "t".repeat(100_000) + "\"", "\"a\\u0000b\""));
            case 5:
                return "\uFEFF" + json;
            case 6:
                return json.replace("imageName", pick(r, "ImageName", "image_name", "imageName\u0000", ""));
            case 7:
                return json + json;
            case 8:
                return "{\"builds\":[{\"imageName\":\"" + "n".repeat(r.nextInt(5000)) + "\",\"tag\":\"reg/x@sha256:"
                        + "0".repeat(64) + "\"}], \"x\": " + "9".repeat(2000) + "}";
            default:
                return pick(r, "", "null", "[]", "{}", "\"string\"", "{\"builds\":null}", "{\"builds\":{}}",
                        "{\"builds\":[null]}", "{\"builds\":[{}]}", "{\"builds\":[{\"imageName\":1,\"tag\":2}]}");
        }
    }

    /** A mutation of any JSON text: cut, odd bytes, deep nesting, a value replaced, duplicated, or a BOM. */
    static String mutateAnyJson(Random r, String json) {
        int pos = json.isEmpty() ? 0 : r.nextInt(json.length() + 1);
        switch (r.nextInt(8)) {
            case 0:
                return json.substring(0, pos);
            case 1:
                return json.substring(0, pos) + odd(r) + json.substring(pos);
            case 2:
                return json.substring(0, pos) + "[".repeat(pick(r, List.of(199, 201, 5_000))) + json.substring(pos);
            case 3:
                return json.replaceFirst(":\"[^\"]*\"", ":" + pick(r, "1e99999", "123456789012345678901234567890", "null",
                        "[]", "{}", "true", "\"" + "t".repeat(100_000) + "\"", "\"a\\u0000b\"", "\"../../x\"",
                        "\"\\ud800\""));
            case 4:
                return "\uFEFF" + json;
            case 5:
                return json + json;
            case 6: {
                int end = Math.min(json.length(), pos + r.nextInt(30));
                return json.substring(0, pos) + json.substring(end);
            }
            default:
                return json.replaceFirst("\"([a-z_]+)\":", "\"" + pick(r, "$1$1", "", "\\u0000", "$1 ") + "\":");
        }
    }

    // ---- flag values --------------------------------------------------------------------------------------------

    /** A hostile value for any flag; {@code outside} is a path outside the case's root. */
    static String badValue(Random r, String outside) {
        switch (r.nextInt(14)) {
            case 0:
                return "";
            case 1:
                return " ";
            case 2:
                return "a" + odd(r) + "b";
            case 3:
                return "x".repeat(pick(r, List.of(256, 5_000, 100_000)));
            case 4:
                return pick(r, "-1", "0", "99999999999999999999", "9223372036854775807", "-9223372036854775808",
                        "1e9", "NaN", "0x10");
            case 5:
                return pick(r, "99999999999999999h", "9223372036854775807s", "PT99999999999999H", "1000000000d",
                        "5000000000000ms", "1h-1m", "10m10m10m", "-5s", "0s", "P1D", "1x");
            case 6:
                return pick(r, "../../outside/x", outside + "/x", "/", "..", ".", "./../..", "a/../../..", "~");
            case 7:
                return pick(r, "--help", "--", "-", "=", "--json", "-v");
            case 8:
                return pick(r, "http://127.0.0.1:99999", "https://[::1", "http://:80", "ftp://x/y", "file:///etc/passwd",
                        "javascript:alert(1)", "http://127.0.0.1:0", "https://h\u0000ost");
            case 9:
                return pick(r, "reg/x:", "reg/x@sha256:abc", "REG/X", ":tag", "@sha256:" + "0".repeat(64),
                        "reg:99999/x", "x".repeat(300) + "/y:z", "reg/x:y:z", "reg/x@@sha256:1");
            case 10:
                return pick(r, "a\u0000b", "\u0000", "x\ny", "x\u2028y", "\u001b]0;title\u0007");
            case 11:
                return pick(r, "café", "日本", "\uD835\uDD38\uD835\uDD38", "Ünïcödé", "\u202Eevil");
            case 12:
                return pick(r, "${PATH}", "$(id)", "`id`", "%s%n", "{namespace}", "'; rm -rf /", "*", "?");
            default:
                return pick(r, "development", "staging", "UPPER", "under_score", "dots.in.name", "-leading", "trailing-");
        }
    }

    // ---- secrets ------------------------------------------------------------------------------------------------

    /** The canary as it is stored: sometimes plain, sometimes with bytes a header or a terminal cannot take. */
    static String oddSecret(Random r, String canary) {
        switch (r.nextInt(9)) {
            case 0:
                return canary;
            case 1:
                return canary + "\n";
            case 2:
                return canary.substring(0, 10) + "\u0001" + canary.substring(10);
            case 3:
                return canary.substring(0, 10) + "\n" + canary.substring(10);
            case 4:
                return canary + "\r\nX-Injected: 1";
            case 5:
                return canary.substring(0, 10) + " " + canary.substring(10);
            case 6:
                return canary + "ä€";
            case 7:
                return "\u0000" + canary;
            default:
                return canary.substring(0, 10) + "\u007f" + canary.substring(10);
        }
    }
}
