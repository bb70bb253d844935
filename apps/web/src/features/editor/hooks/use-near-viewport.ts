import { useEffect, useState } from "react";

/**
 * True once the element with this id comes within a couple of screens of the viewport, and from then on. Lets large
 * editors build their heaviest controls only where the marketer can reach them soon.
 */
export function useNearViewport(id: string, initially: boolean, margin = "2000px"): boolean {
  // The first cards are on screen when the editor opens: knowing it up front spares them a second render.
  const [near, setNear] = useState(initially);
  useEffect(() => {
    if (near) return;
    const element = document.getElementById(id);
    if (!element || typeof IntersectionObserver === "undefined") {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [id, margin, near]);
  return near;
}
