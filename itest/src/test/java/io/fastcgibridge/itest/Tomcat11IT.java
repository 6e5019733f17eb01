package io.fastcgibridge.itest;

/** {@link StandaloneTomcatIT} on the Tomcat 11 distribution. */
class Tomcat11IT extends StandaloneTomcatIT {

    @Override
    String version() {
        return System.getProperty("itest.tomcat11.version", "11.0.21");
    }
}
