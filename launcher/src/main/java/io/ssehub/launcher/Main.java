package io.ssehub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The entry point of {@code java -jar ssehub.war}: the WAR's manifest names this class, which sits
 * at the WAR's root, outside {@code WEB-INF}, where {@code java -jar} finds it and a servlet
 * container never looks.
 *
 * <p>It needs only the JDK. It copies the jars under {@value #LIB} in the WAR (Jetty, the servlet
 * API, and the launcher's own jar with {@link Standalone}) into a temporary directory, loads them
 * in a class loader of their own whose parent is the platform's, so nothing in the WAR's root can
 * mix with Jetty's classes, and hands over to {@link Standalone} there, which deploys this very
 * WAR. The directory is removed when the JVM exits.
 */
public final class Main {

    /** Where the WAR keeps the launcher's jars. */
    static final String LIB = "launcher/lib/";
    /** Named, not referenced: a reference would load it here, where Jetty is not. */
    private static final String STANDALONE = "io.ssehub.launcher.Standalone";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path war = ownArchive();
        Path work = Files.createTempDirectory("ssehub-");
        work.toFile().deleteOnExit();
        URL[] jars = extractLibraries(war, work.resolve("lib"));
        ClassLoader loader = new URLClassLoader("ssehub-launcher", jars, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class.forName(STANDALONE, true, loader)
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {war.toString(), work.toString()});
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Path ownArchive() throws URISyntaxException {
        Path war = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("run as java -jar ssehub.war; found the launcher at " + war);
        }
        return war;
    }

    /** Copies every {@value #LIB}{@code *.jar} entry into {@code dir}; files registered for deletion at exit. */
    static URL[] extractLibraries(Path war, Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().deleteOnExit();
        List<URL> jars = new ArrayList<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(LIB) || !name.endsWith(".jar")
                        || name.indexOf('/', LIB.length()) >= 0) {
                    continue;
                }
                Path jar = dir.resolve(name.substring(LIB.length()));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, jar);
                }
                jar.toFile().deleteOnExit();
                jars.add(url(jar));
            }
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException(war + " holds no " + LIB + "*.jar: not a WAR built with the launcher");
        }
        return jars.toArray(URL[]::new);
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
