package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing {@code cache-control} rules and choosing the first that applies to a path. */
class StaticCacheRuleTest {

    @Test
    void aRegexRuleIsSearchedInThePath() {
        CacheRule rule = CacheRule.parse("~\\.(css|js)$=public, max-age=31536000");

        assertEquals("public, max-age=31536000", rule.value());
        assertTrue(rule.matches("/assets/app.css"));
        assertTrue(rule.matches("/app.js"));
        assertFalse(rule.matches("/app.json"));
        assertFalse(rule.matches("/page.html"));
    }

    @Test
    void aPrefixRuleMatchesPathsThatStartWithIt() {
        CacheRule rule = CacheRule.parse("/assets/=public, max-age=3600");

        assertEquals("public, max-age=3600", rule.value());
        assertTrue(rule.matches("/assets/app.css"));
        assertFalse(rule.matches("/static/assets/app.css"));
        assertFalse(rule.matches("/assets"));
    }

    @Test
    void aPrefixIsLiteralNotARegex() {
        CacheRule rule = CacheRule.parse("/a.b/=no-cache");

        assertTrue(rule.matches("/a.b/x"));
        assertFalse(rule.matches("/axb/x"));
    }

    @Test
    void theValueIsEverythingAfterTheFirstEquals() {
        CacheRule rule = CacheRule.parse(" /x/ = public, max-age=60, stale-while-revalidate=30 ");

        assertEquals("public, max-age=60, stale-while-revalidate=30", rule.value());
        assertTrue(rule.matches("/x/y"));
    }

    @Test
    void theFirstMatchingRuleWins() {
        List<CacheRule> rules = CacheRule.parseAll(List.of("/assets/vendor/=no-store",
                "~\\.css$=public, max-age=31536000", "/=no-cache"));

        assertEquals("no-store", CacheRule.valueFor(rules, "/assets/vendor/lib.css"));
        assertEquals("public, max-age=31536000", CacheRule.valueFor(rules, "/assets/site.css"));
        assertEquals("no-cache", CacheRule.valueFor(rules, "/page.html"));
        assertNull(CacheRule.valueFor(List.of(), "/page.html"));
        assertNull(CacheRule.valueFor(CacheRule.parseAll(List.of("/assets/=x")), "/page.html"));
    }

    @Test
    void oneTextMayHoldSeveralRulesOnSeparateLines() {
        List<CacheRule> rules = CacheRule.parseAll(List.of("~\\.js$=public, max-age=60\n\n  \r\n/img/=max-age=5"));

        assertEquals(2, rules.size());
        assertEquals("max-age=5", CacheRule.valueFor(rules, "/img/a.png"));
        assertEquals(List.of(), CacheRule.parseAll(List.of()));
        assertEquals(List.of(), CacheRule.parseAll(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"assets/=public", "/assets/", "/assets/=", "/assets/=   ", "=public", "~=public",
            "~[a-=public", "*.css=public"})
    void aBadRuleIsRefusedNamingIt(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CacheRule.parseAll(List.of(text)));

        assertTrue(error.getMessage().contains("'"), error.getMessage());
    }
}
