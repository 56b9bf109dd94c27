package io.jenkins.plugins.gitopsrelease.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OccYamlTest {

    private static String emit(String yaml) {
        return OccYaml.write(YamlDocs.parseOne(yaml, "t.yaml"));
    }

    @Test
    void sortsKeysAtEveryLevelWithCompactSequences() {
        assertThat(emit("""
                spec:
                  z: 1
                  a:
                    - y: 2
                      b: [x, y]
                    - - nested
                  m: {}
                  n: []
                kind: K
                """)).isEqualTo("""
                kind: K
                spec:
                  a:
                  - b:
                    - x
                    - "y"
                    "y": 2
                  - - nested
                  m: {}
                  "n": []
                  z: 1
                """);
    }

    @Test
    void keyOrderIsYamlV2s() {
        List<String> keys = new ArrayList<>(List.of("b", "a10", "a9", "B", "$ref", "_x", "a", "1"));
        keys.sort(OccYaml.KEY_ORDER);
        assertThat(keys).containsExactly("$ref", "_x", "1", "B", "a", "a9", "a10", "b");
    }

    @Test
    void quotesStringsThatWouldReadAsAnotherType() {
        ObjectNode o = Json.obj();
        for (String s : List.of("8222", "true", "yes", "on", "null", "~", "1.5", "1e3", "0x1F", "0755", "2026-02-23",
                "1:20", "", ".5", "-1", "+1", "1_000")) {
            o.put("k" + o.size(), s);
        }
        String out = OccYaml.write(o);
        for (String line : out.split("\n")) {
            assertThat(line).as(line).contains(": \"");
        }
        // and the re-read values are strings again
        JsonNode back = YamlDocs.parseOne(out, "back");
        assertThat(back).isEqualTo(o);
    }

    @Test
    void plainWhenSafeSingleQuotedForIndicatorsDoubleForSpecials() {
        assertThat(emit("a: \":8090\"\nb: \"# c\"\nc: \"x: y\"\nd: \"- z\"\ne: \"it's\"\nf: \"*x\"\ng: \"tab\\there\"\n"
                + "h: \"${x}\"\ni: \" lead\"\nj: \"v1.2.3\"\nk: \"a #b\"\n")).isEqualTo("""
                a: :8090
                b: '# c'
                c: 'x: y'
                d: '- z'
                e: it's
                f: '*x'
                g: "tab\\there"
                h: ${x}
                i: ' lead'
                j: v1.2.3
                k: 'a #b'
                """);
    }

    @Test
    void multiLineStringsAreLiteralBlocks() {
        assertThat(emit("a: \"line1\\nline2\\n\"\nb: \"x\\ny\"\nc:\n- \"p\\n\\nq\\n\"\n")).isEqualTo("""
                a: |
                  line1
                  line2
                b: |-
                  x
                  y
                c:
                - |
                  p

                  q
                """);
    }

    @Test
    void foldsLongPlainScalarsAtColumn80LikeYamlV2() {
        String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
        String out = emit("key: " + words + "\n");
        assertThat(out).isEqualTo("key: alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron\n"
                + "  pi rho\n");
        assertThat(YamlDocs.parseOne(out, "f").get("key").asText()).isEqualTo(words);
    }

    @Test
    void numbersAndBooleans() {
        assertThat(emit("a: 1\nb: 1.5\nc: true\nd: null\ne: 1.0\nf: 0.000001\ng: 1234567.5\n")).isEqualTo("""
                a: 1
                b: 1.5
                c: true
                d: null
                e: 1
                f: 1e-06
                g: 1.2345675e+06
                """);
    }

    @Test
    void aliasBombFailsFastWithAClearError() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            String p = "*a" + (i - 1);
            sb.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
                    java.util.Collections.nCopies(9, p))).append("]\n");
        }
        assertThatThrownBy(() -> YamlDocs.parseAll(sb.toString(), "bomb.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bomb.yaml")
                .hasMessageContaining("alias");
    }

    @Test
    void aliasesWithinLimitsAreResolvedNotReadAsStrings() {
        JsonNode t = YamlDocs.parseOne("base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n", "ok.yaml");
        assertThat(t.at("/use/x").asInt()).isEqualTo(1);
        assertThat(t.at("/merged/x").asInt()).isEqualTo(1);
        assertThat(t.at("/merged/y").asInt()).isEqualTo(2);
    }

    @Test
    void malformedYamlNamesFileAndLine() {
        assertThatThrownBy(() -> YamlDocs.parseAll("a: 1\nb: [unclosed\n", "bad.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("bad.yaml:");
        assertThatThrownBy(() -> YamlDocs.parseAll("a: 1\na: 2\n", "dup.yaml"))
                .hasMessageContaining("dup.yaml:2: duplicate key 'a'");
    }
}
