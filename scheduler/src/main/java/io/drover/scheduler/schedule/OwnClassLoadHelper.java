package io.drover.scheduler.schedule;

import java.io.InputStream;
import java.net.URL;
import org.quartz.spi.ClassLoadHelper;

/**
 * Loads the job classes named in Quartz's tables with the loader that loaded Drover's scheduler.
 * Quartz's default cascade tries the thread's context loader too, which under Quarkus (tests, dev
 * mode) can be a loader with a second copy of Quartz: FireJob then "does not implement Job".
 */
public final class OwnClassLoadHelper implements ClassLoadHelper {
    private static final ClassLoader LOADER = OwnClassLoadHelper.class.getClassLoader();

    @Override
    public void initialize() {
        // nothing to discover: the loader is fixed
    }

    @Override
    public Class<?> loadClass(String name) throws ClassNotFoundException {
        return Class.forName(name, false, LOADER);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Class<? extends T> loadClass(String name, Class<T> clazz) throws ClassNotFoundException {
        return (Class<? extends T>) loadClass(name);
    }

    @Override
    public URL getResource(String name) {
        return LOADER.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        return LOADER.getResourceAsStream(name);
    }

    @Override
    public ClassLoader getClassLoader() {
        return LOADER;
    }
}
