package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A link to a component in a developer portal or console (Backstage, OpenChoreo...), e.g.
 * {@code https://console.example.com/ns/{namespace}/project/{project}/component/{component}?env={environment}}.
 * Each value is percent-encoded, so a value can neither add path segments nor query parameters.
 * The template is checked when parsed: unknown placeholders and non-http(s) schemes are refused.
 */
public final class LinkTemplate {
    public static final Set<String> PLACEHOLDERS = Set.of("namespace", "project", "component", "environment");

    private final String template;
    // Alternating parts: literal text, then a placeholder name (or null at the end), and so on.
    private final List<String> literals;
    private final List<String> names;

    private LinkTemplate(String template, List<String> literals, List<String> names) {
        this.template = template;
        this.literals = literals;
        this.names = names;
    }

    public static LinkTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new InvalidInputException("link template: missing: give a URL such as"
                    + " https://console.example.com/{namespace}/{project}/{component}");
        }
        String lower = template.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw InvalidInputException.invalid("link template", template,
                    "start it with https:// or http:// (the scheme cannot be a placeholder)");
        }
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw InvalidInputException.invalid("link template", template,
                            "the '{' at position " + i + " is not closed; write placeholders as {component}");
                }
                String name = template.substring(i + 1, end);
                if (!PLACEHOLDERS.contains(name)) {
                    throw InvalidInputException.invalid("link template", template, "unknown placeholder {" + name
                            + "}: use {namespace}, {project}, {component} or {environment}");
                }
                literals.add(literal.toString());
                names.add(name);
                literal.setLength(0);
                i = end + 1;
            } else if (c == '}') {
                throw InvalidInputException.invalid("link template", template,
                        "the '}' at position " + i + " has no opening '{'");
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        return new LinkTemplate(template, List.copyOf(literals), List.copyOf(names));
    }

    /** Placeholders the template uses, in order of appearance. */
    public List<String> placeholders() {
        return names;
    }

    /** Expands with these values; a placeholder the template uses must have a non-blank value. */
    public String expand(Map<String, String> values) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new InvalidInputException("link template " + template + ": placeholder {" + name
                        + "} has no value: give the " + name + " or remove {" + name + "} from the template");
            }
            out.append(encode(value)).append(literals.get(i + 1));
        }
        return out.toString();
    }

    /** Expands with the four known values; {@code environment} may be null when the template does not use it. */
    public String expand(String namespace, String project, String component, String environment) {
        java.util.HashMap<String, String> values = new java.util.HashMap<>();
        values.put("namespace", namespace);
        values.put("project", project);
        values.put("component", component);
        values.put("environment", environment);
        return expand(values);
    }

    // RFC 3986 unreserved characters stay; everything else (including '/', '?', '&', ' ') is percent-encoded.
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    @Override
    public String toString() {
        return template;
    }
}
