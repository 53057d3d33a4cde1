package io.jobyard.adapter.http.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogRendererTest {

    private static List<JobLog.Span> spans(String log) {
        List<JobLog.Line> lines = LogRenderer.render(log).lines();
        assertThat(lines).hasSize(1);
        return lines.get(0).spans();
    }

    @Test
    void eightAndSixteenColoursBoldItalicUnderlineAndReset() {
        assertThat(spans("\u001b[31mred\u001b[0m plain \u001b[1;92mbright bold\u001b[22m not bold\u001b[3;4mx\u001b[m"))
                .containsExactly(
                        new JobLog.Span("red", "term-fg-red"),
                        new JobLog.Span(" plain ", ""),
                        new JobLog.Span("bright bold", "term-fg-l-green term-bold"),
                        new JobLog.Span(" not bold", "term-fg-l-green"),
                        new JobLog.Span("x", "term-fg-l-green term-italic term-underline"));
    }

    @Test
    void backgroundsAnd256ColoursAndTheirDefaults() {
        assertThat(spans("\u001b[44;38;5;196ma\u001b[39mb\u001b[48;5;22mc\u001b[49;107md"))
                .containsExactly(
                        new JobLog.Span("a", "xterm-fg-196 term-bg-blue"),
                        new JobLog.Span("b", "term-bg-blue"),
                        new JobLog.Span("c", "xterm-bg-22"),
                        new JobLog.Span("d", "term-bg-l-white"));
    }

    @Test
    void truecolourIsConsumedWithoutLeakingItsNumbersAndOtherEscapesAreDropped() {
        assertThat(spans("\u001b[38;2;10;20;30mt\u001b[0K\u001b[2Jx\u001b(B"))
                .containsExactly(new JobLog.Span("tx", ""));
    }

    @Test
    void styleCarriesOverLineEndsAsInATerminal() {
        List<JobLog.Line> lines = LogRenderer.render("\u001b[32mone\ntwo\u001b[0m\nthree\n").lines();
        assertThat(lines).extracting(JobLog.Line::spans).containsExactly(
                List.of(new JobLog.Span("one", "term-fg-green")),
                List.of(new JobLog.Span("two", "term-fg-green")),
                List.of(new JobLog.Span("three", "")));
        assertThat(lines).extracting(JobLog.Line::number).containsExactly(1, 2, 3);
    }

    @Test
    void aLoneCarriageReturnRedrawsTheLineAndCrLfEndsIt() {
        List<JobLog.Line> lines = LogRenderer.render("progress 10%\rprogress 50%\rprogress 100%\r\ndone\n").lines();
        assertThat(lines).extracting(l -> text(l)).containsExactly("progress 100%", "done");
    }

    @Test
    void sectionsNestWithTitlesDurationsAndTheCollapsedOption() {
        String log = "before\n"
                + "section_start:1700000000:build[collapsed=true]\r\u001b[0K\u001b[36;1mBuilding\u001b[0;m\n"
                + "compile\n"
                + "section_start:1700000010:inner\r\u001b[0KInner title\n"
                + "step\n"
                + "section_end:1700000015:inner\r\u001b[0K\n"
                + "section_end:1700000075:build\r\u001b[0K\n"
                + "after\n";
        JobLog rendered = LogRenderer.render(log);
        assertThat(rendered.nodes()).hasSize(3);
        JobLog.Section build = (JobLog.Section) rendered.nodes().get(1);
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.collapsed()).isTrue();
        assertThat(build.duration()).isEqualTo("01:15");
        assertThat(text(build.header())).isEqualTo("Building");
        assertThat(build.header().spans().get(0).classes()).isEqualTo("term-fg-cyan term-bold");
        assertThat(build.children()).hasSize(2);
        JobLog.Section inner = (JobLog.Section) build.children().get(1);
        assertThat(inner.collapsed()).isFalse();
        assertThat(inner.duration()).isEqualTo("00:05");
        assertThat(text(inner.header())).isEqualTo("Inner title");
        // Markers are not lines: before, Building, compile, Inner title, step, after
        assertThat(rendered.lines()).extracting(LogRendererTest::text)
                .containsExactly("before", "Building", "compile", "Inner title", "step", "after");
        assertThat(rendered.lines()).extracting(JobLog.Line::number).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aSectionStillOpenHasNoDurationAndAnEndWithoutStartIsDropped() {
        JobLog rendered = LogRenderer.render("section_end:5:ghost\r\u001b[0K\n"
                + "section_start:1:running\r\u001b[0KRunning\nworking\n");
        assertThat(rendered.nodes()).hasSize(1);
        JobLog.Section running = (JobLog.Section) rendered.nodes().get(0);
        assertThat(running.duration()).isEmpty();
        assertThat(running.children()).hasSize(1);
    }

    @Test
    void somethingThatOnlyLooksLikeAMarkerIsText() {
        assertThat(LogRenderer.render("section_start:x:y\n").lines()).extracting(LogRendererTest::text)
                .containsExactly("section_start:x:y");
    }

    @Test
    void markupInTheLogStaysText() {
        assertThat(spans("<script>alert(1)</script>\"onerror=x"))
                .containsExactly(new JobLog.Span("<script>alert(1)</script>\"onerror=x", ""));
    }

    @Test
    void aPartFromTheMiddleDropsItsCutFirstLineAndKeepsOffsets() {
        byte[] bytes = "tail of a cut line\nwhole one\nwhole two\npartial".getBytes(StandardCharsets.UTF_8);
        JobLog part = LogRenderer.render(bytes, 1000, 1, false);
        assertThat(part.lines()).extracting(LogRendererTest::text).containsExactly("whole one", "whole two", "partial");
        assertThat(part.startOffset()).isEqualTo(1000 + "tail of a cut line\n".length());
        assertThat(part.endOffset()).isEqualTo(1000 + bytes.length);

        JobLog whole = LogRenderer.render(bytes, 0, 7, true);
        assertThat(whole.lines()).extracting(JobLog.Line::number).containsExactly(7, 8, 9);
        assertThat(whole.endOffset()).isEqualTo(bytes.length - "partial".length());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        JobLog rendered = LogRenderer.render(new byte[] {'a', (byte) 0xff, 'b', '\n'}, 0, 1, false);
        assertThat(text(rendered.lines().get(0))).isEqualTo("a\uFFFDb");
    }

    private static String text(JobLog.Line line) {
        StringBuilder s = new StringBuilder();
        line.spans().forEach(span -> s.append(span.text()));
        return s.toString();
    }
}
