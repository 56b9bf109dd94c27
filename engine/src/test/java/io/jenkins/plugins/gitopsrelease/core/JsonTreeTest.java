package io.jenkins.plugins.gitopsrelease.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ParseLimits#tree} builds the JSON tree without an ObjectMapper (start-up): for generated documents, and for
 * the same documents cut short or with text appended, it must give exactly the mapper's tree, or fail where the
 * mapper fails.
 */
class JsonTreeTest {
    static final ObjectMapper MAPPER = ParseLimits.json();

    static String quoted(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    Arbitrary<String> scalar() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)),
                        new java.math.BigInteger("1" + "0".repeat(30))).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("0", "-0", "1e400", "-1.5E-7", "0.1", "123456789012345678901234567890.5", "2E+3"));
        return Arbitraries.oneOf(numbers, Arbitraries.strings().ofMaxLength(12).map(JsonTreeTest::quoted),
                Arbitraries.of("true", "false", "null"));
    }

    Arbitrary<String> json(int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<String> inner = json(depth - 1);
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        // keys from a small alphabet: repeated keys happen, and the last value must win in both
        Arbitrary<String> member = Combinators.combine(Arbitraries.strings().withChars("ab\u00e9\"").ofMaxLength(2), inner)
                .as((k, v) -> quoted(k) + " : " + v);
        Arbitrary<String> object = member.list().ofMaxSize(4).map(l -> "{ " + String.join(", ", l) + " }");
        return Arbitraries.oneOf(scalar(), array, object);
    }

    @Provide
    Arbitrary<String> documents() {
        return json(4);
    }

    static JsonNode mapper(String text) throws IOException {
        return MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode ours(String text) throws IOException {
        return ParseLimits.tree(text.getBytes(StandardCharsets.UTF_8));
    }

    static void sameAsMapper(String text) {
        JsonNode expected;
        try {
            expected = mapper(text);
        } catch (IOException e) {
            assertThatThrownBy(() -> ours(text)).as(text).isInstanceOf(IOException.class);
            return;
        }
        JsonNode actual;
        try {
            actual = ours(text);
        } catch (IOException e) {
            throw new AssertionError("the mapper reads " + text + " but tree() fails: " + e, e);
        }
        assertThat(actual).as(text).isEqualTo(expected);
        assertThat(actual.getClass()).as(text).isEqualTo(expected.getClass());
        assertThat(actual.toString()).as(text).isEqualTo(expected.toString()); // same key order, number forms
    }

    @Property(tries = 1000)
    void sameTreeAsTheMapper(@ForAll("documents") String text) {
        sameAsMapper(text);
    }

    @Property(tries = 500)
    void sameOutcomeForCutAndExtendedDocuments(@ForAll("documents") String text, @ForAll @IntRange(max = 1000) int cut,
            @ForAll("tails") String tail) {
        sameAsMapper(text.substring(0, Math.min(cut, text.length())));
        sameAsMapper(text + tail);
    }

    @Provide
    Arbitrary<String> tails() {
        return Arbitraries.of("", " ", "x", "}", "]", ",1", " {\"a\":1}", "\"", "nul");
    }

    @Test
    void emptyInputIsMissingAndNumbersKeepTheirKinds() throws IOException {
        assertThat(ours("").isMissingNode()).isTrue();
        assertThat(ours("  ").isMissingNode()).isTrue();
        assertThat(ours("{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":1.5}").toString())
                .isEqualTo("{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":1.5}");
        assertThat(ours("{\"a\":1,\"a\":2}").path("a").asInt()).isEqualTo(2);
    }

    @Test
    void theNestingLimitHolds() {
        String deep = "[".repeat(ParseLimits.MAX_NESTING + 1) + "]".repeat(ParseLimits.MAX_NESTING + 1);
        assertThatThrownBy(() -> ParseLimits.readJson(deep.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("parse limit");
    }
}
