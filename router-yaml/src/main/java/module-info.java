/**
 * SmartQueryRouter YAML configuration: reads routers from a YAML file into core's
 * {@link io.smartqueryrouter.core.config.RouterConfig}, strictly, with errors that name the file,
 * line, column and key path. Only the Jackson 2 streaming YAML parser is used; Jackson does not
 * leak into the API.
 */
module io.smartqueryrouter.yaml {
    requires transitive io.smartqueryrouter.core;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.core;

    exports io.smartqueryrouter.yaml;
}
