package dev.nanobroker.viewer;

import javafx.beans.value.ObservableDoubleValue;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;

import java.util.Arrays;

/**
 * Lays out the picture and the overlay panel so that the panel never covers a pixel of the frame:
 * beside the picture when that leaves it larger (a window wider than the frame's shape), below it
 * otherwise. The panel is scaled down, never up, to fit the window's height (beside) or width
 * (below); the picture takes the rest, and the frame is fitted into it. The panel shows the most
 * detail ({@link OverlayPane.Detail}) that leaves the frame at least {@link #MIN_FRAME_KEPT} of the
 * area it has without a panel.
 * With the panel hidden (key O) the picture takes the whole window.
 */
final class PictureLayout extends Region {

    /** Below this the panel's text is too small to read: the picture then gives up more room. */
    private static final double MIN_PANEL_SCALE = 0.6;
    /** How much of its panel-less size the frame keeps at least beside the panel; else the panel shows less. */
    private static final double MIN_FRAME_KEPT = 0.5;

    private final Region picture;
    private final OverlayPane panel;
    private final ObservableDoubleValue frameAspect;
    private final Scale panelScale = new Scale(1, 1, 0, 0);
    /**
     * The panel's size at each detail, measured while it showed that detail (other details have
     * other children); zero until measured, taken as fitting.
     */
    private final double[][] measured = new double[OverlayPane.Detail.values().length][2];

    /**
     * @param frameAspect width / height of the frame shown (the picture is fitted keeping it)
     */
    PictureLayout(Region picture, OverlayPane panel, ObservableDoubleValue frameAspect) {
        this.picture = picture;
        this.panel = panel;
        this.frameAspect = frameAspect;
        panel.getTransforms().add(panelScale);
        panel.visibleProperty().addListener((observable, was, is) -> requestLayout());
        // Another number of reader rows: every size measured so far is off. Forget them, so that the
        // next passes measure again from the most detail down (a row more may no longer fit, a row
        // less may make room for more detail again).
        panel.rowsProperty().addListener((observable, was, is) -> {
            for (double[] size : measured) {
                Arrays.fill(size, 0);
            }
            requestLayout();
        });
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
        OverlayPane.Detail shown = panel.detail();
        double[] size = measured[shown.ordinal()];
        size[0] = panel.prefWidth(-1);
        size[1] = panel.prefHeight(size[0]);
        // The most detail that leaves the frame enough of the window. A change of detail changes the
        // panel's children, so the new panel is measured (and placed again) on the next pass.
        OverlayPane.Detail wanted = OverlayPane.Detail.MINIMAL;
        for (OverlayPane.Detail detail : OverlayPane.Detail.values()) {
            double[] at = measured[detail.ordinal()];
            if (frameArea(width, height, at[0], at[1], null) >= MIN_FRAME_KEPT * fittedArea(width, height)) {
                wanted = detail;
                break;
            }
        }
        if (wanted != shown) {
            panel.setDetail(wanted);
        }
        frameArea(width, height, size[0], size[1], this::place);
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
        // A panel that does not fit even at its smallest scale would be cut off: that side is no choice.
        double besideArea = panelHeight * besideScale <= height + 0.5 ? fittedArea(besideRoom, height) : 0;
        double belowArea = panelWidth * belowScale <= width + 0.5 ? fittedArea(width, belowRoom) : 0;
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
