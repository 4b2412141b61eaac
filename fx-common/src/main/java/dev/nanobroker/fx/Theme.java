package dev.nanobroker.fx;

import javafx.scene.Scene;

import java.util.Objects;

/** Styles a window: the shared palette ({@code palette.css}), then the window's own sheet, which uses only its colours. */
public final class Theme {

    private Theme() {
    }

    /** Adds the palette and then {@code sheet}, a resource next to {@code owner}, to {@code scene}. */
    public static void apply(Scene scene, Class<?> owner, String sheet) {
        scene.getStylesheets().addAll(resource(Theme.class, "palette.css"), resource(owner, sheet));
    }

    private static String resource(Class<?> owner, String name) {
        return Objects.requireNonNull(owner.getResource(name), () -> name + " is missing next to " + owner.getName())
                .toExternalForm();
    }
}
