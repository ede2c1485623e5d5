package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start is compiled as it stands, so it cannot drift from the API. */
class ReadmeQuickStartTest {
    private static final Pattern QUICK_START =
            Pattern.compile("## Quick start.*?```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theQuickStartCompilesAgainstTheCurrentApi(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = QUICK_START.matcher(readme);
        assertThat(m.find()).as("README.md has a '## Quick start' section with a java block").isTrue();
        String snippet = m.group(1);
        assertThat(snippet).contains("Router.<URI>builder(\"orders\")", "router.execute(", "router.snapshot()",
                "router.close()");

        String source = """
                import io.smartqueryrouter.core.*;
                import java.net.URI;
                import java.time.Duration;

                class QuickStart {
                    static String fetch(URI endpoint) {
                        return endpoint.toString();
                    }

                    static void quickStart() {
                %s
                    }
                }
                """.formatted(snippet);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///QuickStart.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-Xlint:all", "-Werror"),
                null, List.of(file)).call();
        assertThat(ok).as("the quick start compiles:%n%s%n%s", diagnostics, source).isTrue();
        assertThat(out.resolve("QuickStart.class")).exists();
    }
}
