package dev.nanobroker.viewer;

import javafx.beans.value.ObservableDoubleValue;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;

/**
 * Lays out the picture and the overlay panel so that the panel never covers a pixel of the frame:
 * beside the picture when that leaves it larger (a window wider than the frame's shape), below it
 * otherwise. The panel is scaled down, never up, to fit the window's height (beside) or width
 * (below); the picture takes the rest, and the frame is fitted into it. Where the full panel would
 * leave the frame less than {@link #MIN_FRAME_KEPT} of the area it has without a panel, the compact
 * panel is used.
 * With the panel hidden (key O) the picture takes the whole window.
 */
final class PictureLayout extends Region {

    /** Below this the panel's text is too small to read: the picture then gives up more room. */
    private static final double MIN_PANEL_SCALE = 0.6;
    /** How much of its panel-less size the frame keeps at least beside the full panel; else the panel goes compact. */
    private static final double MIN_FRAME_KEPT = 0.5;

    private final Region picture;
    private final OverlayPanel panel;
    private final ObservableDoubleValue frameAspect;
    private final Scale panelScale = new Scale(1, 1, 0, 0);
    private boolean compact;
    /** The full panel's size, measured while it was full (the compact one has other children). */
    private double fullPanelWidth;
    private double fullPanelHeight;

    /**
     * @param frameAspect width / height of the frame shown (the picture is fitted keeping it)
     */
    PictureLayout(Region picture, OverlayPanel panel, ObservableDoubleValue frameAspect) {
        this.picture = picture;
        this.panel = panel;
        this.frameAspect = frameAspect;
        panel.getTransforms().add(panelScale);
        panel.visibleProperty().addListener((observable, was, is) -> requestLayout());
        frameAspect.addListener((observable, was, is) -> requestLayout());
        getChildren().addAll(picture, panel);
    }

    @Override
    protected void layoutChildren() {
        double width = getWidth();
        double height = getHeight();
        if (!panel.isVisible()) {
            picture.resizeRelocate(0, 0, width, height);
            return;
        }
        if (!compact) {
            fullPanelWidth = panel.prefWidth(-1);
            fullPanelHeight = panel.prefHeight(fullPanelWidth);
        }
        // The full panel while it leaves the frame enough of the window, else the compact one. A
        // switch changes the panel's children, so it is laid out (and measured) on the next pass.
        boolean wanted = frameArea(width, height, fullPanelWidth, fullPanelHeight, null) < MIN_FRAME_KEPT * fittedArea(width, height);
        if (wanted != compact) {
            compact = wanted;
            panel.setCompact(compact);
        }
        double panelWidth = panel.prefWidth(-1);
        frameArea(width, height, panelWidth, panel.prefHeight(panelWidth), this::place);
    }

    private interface Placement {
        void place(boolean beside, double scale, double room, double panelWidth, double panelHeight);
    }

    /**
     * The frame's area with a panel of that size beside or below it, whichever is larger; hands
     * that choice to {@code placement} when there is one.
     */
    private double frameArea(double width, double height, double panelWidth, double panelHeight, Placement placement) {
        double besideScale = Math.clamp(height / panelHeight, MIN_PANEL_SCALE, 1);
        double belowScale = Math.clamp(width / panelWidth, MIN_PANEL_SCALE, 1);
        double besideRoom = Math.max(0, width - panelWidth * besideScale);
        double belowRoom = Math.max(0, height - panelHeight * belowScale);
        double besideArea = fittedArea(besideRoom, height);
        double belowArea = fittedArea(width, belowRoom);
        boolean beside = besideArea >= belowArea;
        if (placement != null) {
            placement.place(beside, beside ? besideScale : belowScale, beside ? besideRoom : belowRoom, panelWidth, panelHeight);
        }
        return Math.max(besideArea, belowArea);
    }

    private void place(boolean beside, double scale, double room, double panelWidth, double panelHeight) {
        panelScale.setX(scale);
        panelScale.setY(scale);
        if (beside) {
            picture.resizeRelocate(0, 0, room, getHeight());
            panel.resizeRelocate(room, 0, panelWidth, panelHeight);
        } else {
            picture.resizeRelocate(0, 0, getWidth(), room);
            panel.resizeRelocate(0, room, panelWidth, panelHeight);
        }
    }

    /** The area of the frame fitted into a box of that size, keeping its aspect. */
    private double fittedArea(double boxWidth, double boxHeight) {
        double aspect = frameAspect.get() > 0 ? frameAspect.get() : 16.0 / 9;
        double fittedWidth = Math.min(boxWidth, boxHeight * aspect);
        return fittedWidth * (fittedWidth / aspect);
    }

    /** The box the picture is fitted into. */
    Node picture() {
        return picture;
    }
}
