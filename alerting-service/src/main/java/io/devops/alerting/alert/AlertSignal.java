package io.devops.alerting.alert;

/**
 * What a source says about an alert: it fires, or (its source says) it is over. Every source's
 * signals take one path, {@link AlertWriter#apply}, one at a time or a whole poll at once.
 */
public record AlertSignal(AlertFiring firing, boolean resolves, String actor) {

    public static AlertSignal fire(AlertFiring firing, String actor) {
        return new AlertSignal(firing, false, actor);
    }

    public static AlertSignal resolve(AlertFiring firing, String actor) {
        return new AlertSignal(firing, true, actor);
    }
}
