package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTemplateTest {

    @Test
    void expandsAllFourPlaceholders() {
        LinkTemplate t = LinkTemplate.parse("https://console.example.com/{namespace}/{project}/{component}?env={environment}");
        assertThat(t.placeholders()).containsExactly("namespace", "project", "component", "environment");
        assertThat(t.expand("default", "shop", "api", "staging"))
                .isEqualTo("https://console.example.com/default/shop/api?env=staging");
    }

    @Test
    void encodesEachValueSoItCannotAddSegmentsOrParameters() {
        LinkTemplate t = LinkTemplate.parse("https://backstage.example.com/catalog/{namespace}/component/{component}");
        assertThat(t.expand(Map.of("namespace", "a b/c", "component", "x?y=1&z#frag")))
                .isEqualTo("https://backstage.example.com/catalog/a%20b%2Fc/component/x%3Fy%3D1%26z%23frag");
        assertThat(t.expand(Map.of("namespace", "ünï", "component", "a.b-c_d~e*")))
                .isEqualTo("https://backstage.example.com/catalog/%C3%BCn%C3%AF/component/a.b-c_d~e%2A");
    }

    @Test
    void placeholdersMayRepeatAndTemplatesMayHaveNone() {
        assertThat(LinkTemplate.parse("http://x/{component}/{component}").expand(Map.of("component", "c")))
                .isEqualTo("http://x/c/c");
        assertThat(LinkTemplate.parse("https://x/static").expand(Map.of())).isEqualTo("https://x/static");
    }

    @Test
    void unknownPlaceholderIsNamed() {
        assertThatThrownBy(() -> LinkTemplate.parse("https://x/{org}/{component}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("link template: invalid value 'https://x/{org}/{component}': unknown placeholder {org}:"
                        + " use {namespace}, {project}, {component} or {environment}");
        assertThatThrownBy(() -> LinkTemplate.parse("https://x/{Component}"))
                .hasMessageContaining("unknown placeholder {Component}");
    }

    @Test
    void unbalancedBracesAreRefused() {
        assertThatThrownBy(() -> LinkTemplate.parse("https://x/{component"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not closed");
        assertThatThrownBy(() -> LinkTemplate.parse("https://x/component}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no opening '{'");
    }

    @Test
    void onlyHttpTemplatesAreAccepted() {
        assertThatThrownBy(() -> LinkTemplate.parse("javascript:alert('{component}')"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("start it with https:// or http://");
        assertThatThrownBy(() -> LinkTemplate.parse("{namespace}://x"))
                .hasMessageContaining("the scheme cannot be a placeholder");
        assertThatThrownBy(() -> LinkTemplate.parse(" "))
                .hasMessageStartingWith("link template: missing");
    }

    @Test
    void missingValueNamesThePlaceholder() {
        LinkTemplate t = LinkTemplate.parse("https://x/{component}/{environment}");
        assertThatThrownBy(() -> t.expand("ns", "p", "api", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("link template https://x/{component}/{environment}: placeholder {environment} has no"
                        + " value: give the environment or remove {environment} from the template");
    }
}
